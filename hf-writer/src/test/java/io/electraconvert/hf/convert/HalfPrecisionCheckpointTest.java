package io.electraconvert.hf.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.formats.safetensors.SafetensorsEntry;
import io.electraconvert.hf.formats.safetensors.SafetensorsFile;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tensor.HalfPrecision;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "small-half" is the "small" fixture cast and saved by TensorFlow (testdata/generate/make_half_checkpoint.py):
 * matrices float16, vectors bfloat16. Converting it widens every value to float32 (and transposes the float16
 * kernels) through the decode path no float32 checkpoint takes; the result must equal the float32 fixture's
 * conversion rounded the way TensorFlow rounded it, bit for bit.
 */
class HalfPrecisionCheckpointTest {
    @TempDir
    Path tmp;

    private Path convert(String fixture, ElectraNetwork network) throws Exception {
        Path dir = Fixtures.checkpoint(fixture);
        Path out = tmp.resolve(fixture + "-" + network);
        ElectraConverter.convert(ConversionRequest.of(dir, network, out).withHparams(dir.resolve("hparams.json")),
                (done, total, tensor) -> { });
        return out.resolve("model.safetensors");
    }

    @ParameterizedTest
    @EnumSource(ElectraNetwork.class)
    void halfPrecisionVariablesConvertToTheirRoundedFloat32Values(ElectraNetwork network) throws Exception {
        try (SafetensorsFile half = SafetensorsFile.open(convert("small-half", network));
             SafetensorsFile full = SafetensorsFile.open(convert("small", network))) {
            assertEquals(full.tensors().keySet(), half.tensors().keySet());
            int changed = 0;
            for (SafetensorsEntry e : full.tensors().values()) {
                float[] f32 = full.readFloats(e.name());
                float[] expected = new float[f32.length];
                for (int i = 0; i < f32.length; i++) {
                    expected[i] = e.shape().length == 2
                            ? HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(f32[i]))
                            : HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(f32[i]));
                    changed += expected[i] != f32[i] ? 1 : 0;
                }
                assertArrayEquals(expected, half.readFloats(e.name()), e.name());
                assertEquals(half.entry(e.name()).dtype(), e.dtype(), "written as float32: " + e.name());
            }
            assertNotEquals(0, changed, "the rounding is visible, so the comparison tells the dtypes apart");
        }
    }
}
