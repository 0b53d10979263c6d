package io.electraconvert.verify.weights;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.tensor.DType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.formats.h5.KerasH5File;
import io.electraconvert.hf.formats.h5.KerasH5Format;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java forward pass on transformers 4.57.6's own {@code tf_model.h5} files ({@code testdata/hf-tf-golden/})
 * reproduces the logits the TF model computed ({@code logits.json}). TF adds -10000 for masked keys where PyTorch
 * adds finfo.min: no row of these inputs is fully masked, so both give the same softmax.
 */
class KerasH5GoldenLogitsTest {
    private static final double TOLERANCE = 1e-4;

    static Path goldenDir(String name) {
        return Fixtures.hfTfGolden(name);
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"pretraining, PRETRAINING", "maskedlm, MASKED_LM"})
    void javaForwardPassMatchesTfLogits(String name, HeadKind head) throws IOException {
        Path dir = goldenDir(name);
        assertTrue(Files.isRegularFile(dir.resolve("tf_model.h5")), dir.toString());
        assertLogits(name + " (golden file)", dir, dir, head);
    }

    /** The same through our writer: golden weights written back by KerasH5Format, read back through HfFolderWeightSource. */
    @ParameterizedTest
    @CsvSource({"pretraining, PRETRAINING", "maskedlm, MASKED_LM"})
    void rewrittenByKerasH5FormatGivesTheSameLogits(String name, HeadKind head) throws IOException {
        Path dir = goldenDir(name);
        Path ours = tmp.resolve(name);
        java.nio.file.Files.createDirectories(ours);
        try (KerasH5File golden = KerasH5File.open(dir.resolve("tf_model.h5"))) {
            List<OutputTensor> tensors = new ArrayList<>();
            for (KerasH5File.Entry e : golden.tensors().values()) {
                float[] v = golden.readFloats(e.hfKey());
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                tensors.add(new OutputTensor(e.hfKey(), e.shape(), b::duplicate));
            }
            KerasH5Format.FORMAT.writeFile(ours.resolve("tf_model.h5"), tensors, DType.FLOAT32, ProgressCounter.none());
        }
        assertLogits(name + " (rewritten)", dir, ours, head);
    }

    /** Logits of the tf_model.h5 in {@code folder}, read through the folder reader, against {@code dir}/logits.json. */
    private static void assertLogits(String name, Path dir, Path folder, HeadKind head) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("logits.json").toFile());
        ElectraConfig config = ElectraConfig.read(dir.resolve("config.json"));
        ElectraModel model;
        try (HfFolderWeightSource weights = HfFolderWeightSource.open(folder, java.util.Optional.of("tf"))) {
            model = ElectraModel.load(config, weights, head);
        }
        JsonNode ids = expected.get("input_ids");
        int batch = ids.size();
        int seq = ids.get(0).size();
        ModelInput input = new ModelInput(new int[] {batch, seq}, flat(ids), flat(expected.get("token_type_ids")),
                flat(expected.get("attention_mask")));
        Tensor logits = model.forward(input).logits("logits");

        List<Double> want = new ArrayList<>();
        List<Integer> shape = new ArrayList<>();
        flatten(expected.get("logits"), want, shape, 0);
        assertArrayEquals(shape.stream().mapToInt(Integer::intValue).toArray(), logits.shape(), "logits shape");
        assertEquals(want.size(), logits.data().length);
        double max = 0;
        for (int i = 0; i < want.size(); i++) {
            max = Math.max(max, Math.abs(want.get(i) - logits.data()[i]));
        }
        System.out.printf("%s: max |logit - TF| = %.3e over %d values%n", name, max, want.size());
        assertTrue(max <= TOLERANCE, name + ": max abs diff " + max);
    }

    private static int[] flat(JsonNode rows) {
        List<Double> values = new ArrayList<>();
        flatten(rows, values, new ArrayList<>(), 0);
        return values.stream().mapToInt(Double::intValue).toArray();
    }

    private static void flatten(JsonNode node, List<Double> out, List<Integer> shape, int depth) {
        if (node.isArray()) {
            if (shape.size() == depth) {
                shape.add(node.size());
            }
            for (JsonNode child : node) {
                flatten(child, out, shape, depth + 1);
            }
        } else {
            out.add(node.asDouble());
        }
    }
}
