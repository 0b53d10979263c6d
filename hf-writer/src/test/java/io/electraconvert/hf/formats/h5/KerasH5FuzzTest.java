package io.electraconvert.hf.formats.h5;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.ReaderFuzzing;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.ProgressCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReaderFuzzing} of tf_model.h5: a file transformers wrote (superblock v0, object headers v1, no checksums,
 * so mutations reach jHDF's parsing and our validation) and ours in float16 (superblock v3, checksummed headers).
 */
class KerasH5FuzzTest {
    @TempDir
    Path tmp;

    @Test
    void mutatedKerasFilesFailCleanly() throws Exception {
        Path ours = tmp.resolve("ours.h5");
        try (KerasH5File golden = KerasH5File.open(KerasH5GoldenTest.golden("maskedlm"))) {
            WeightsFormats.parse("tf").get(0).writeFile(ours, KerasH5GoldenTest.tensorsOf(golden), DType.FLOAT16,
                    ProgressCounter.none());
        }
        List<byte[]> bases = List.of(Files.readAllBytes(KerasH5GoldenTest.golden("pretraining")), Files.readAllBytes(ours));
        ReaderFuzzing.run("h5", 0x45_2024_0e1ec7L, 2000, tmp.resolve("tf_model.h5"), 16,
                (random, d) -> ReaderFuzzing.mutateBytes(bases.get(random.nextInt(bases.size())), random, d),
                file -> {
                    try (KerasH5File f = KerasH5File.open(file)) {
                        f.tensors().keySet().forEach(f::readFloats);
                    }
                });
    }
}
