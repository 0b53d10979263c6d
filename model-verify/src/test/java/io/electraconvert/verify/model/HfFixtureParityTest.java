package io.electraconvert.verify.model;

import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.config.ElectraConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.kernels.ScalarMatMulKernel;
import io.electraconvert.verify.kernels.VectorMatMulKernel;
import io.electraconvert.verify.weights.HfFolderWeightSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every head class against PyTorch: folders written by {@code src/test/python/make_hf_fixtures.py} (transformers
 * 5.18 {@code save_pretrained} plus the logits and hidden states PyTorch computed for padded, two-segment input).
 */
class HfFixtureParityTest {
    /** Max abs difference allowed on every logit and hidden-state value. */
    private static final double TOLERANCE = 1e-5;

    @TestFactory
    Stream<DynamicContainer> matchesPyTorch() throws IOException, URISyntaxException {
        Path root = Path.of(HfFixtureParityTest.class.getResource("/hf-fixtures").toURI());
        List<Path> cases;
        try (Stream<Path> folders = Files.list(root)) {
            cases = folders.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(8, cases.size(), "fixture folders under " + root);
        return cases.stream().map(folder -> DynamicContainer.dynamicContainer(folder.getFileName().toString(),
                Stream.<MatMulKernel>of(new ScalarMatMulKernel(), new VectorMatMulKernel()).map(kernel -> DynamicTest.dynamicTest(
                        kernel.getClass().getSimpleName(), () -> assertParity(folder, kernel)))));
    }

    private static void assertParity(Path folder, MatMulKernel kernel) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(folder.resolve("expected.json").toFile());
        ElectraConfig config = ElectraConfig.read(folder.resolve("config.json"));
        HeadKind head = HeadKind.ofArchitecture(expected.get("architecture").asText()).orElseThrow();
        ElectraModel model;
        try (HfFolderWeightSource weights = HfFolderWeightSource.open(folder)) {
            model = ElectraModel.load(config, weights, head, kernel);
        }
        ModelInput input = new ModelInput(ints(expected.get("input_shape")), ints(expected.get("input_ids")),
                ints(expected.get("token_type_ids")), ints(expected.get("attention_mask")));
        ModelOutput output = model.forward(input);

        StringBuilder report = new StringBuilder(folder.getFileName() + " [" + kernel.getClass().getSimpleName() + "]");
        JsonNode logits = expected.get("logits");
        assertEquals(logits.size(), output.logits().size(), "number of logits outputs");
        for (var names = logits.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            double diff = assertClose(name, logits.get(name), output.logits(name));
            report.append(String.format(" %s %.2e", name, diff));
        }
        JsonNode hidden = expected.get("hidden_states");
        assertEquals(hidden.size(), output.hiddenStates().size(), "number of hidden states");
        double hiddenDiff = 0;
        for (int i = 0; i < hidden.size(); i++) {
            hiddenDiff = Math.max(hiddenDiff, assertClose("hidden_states[" + i + "]", hidden.get(i),
                    output.hiddenStates().get(i)));
        }
        System.out.println(report.append(String.format(" hidden_states %.2e", hiddenDiff)));
    }

    private static double assertClose(String name, JsonNode expected, Tensor actual) {
        assertArrayEquals(ints(expected.get("shape")), actual.shape(), name + " shape");
        JsonNode values = expected.get("values");
        double max = 0;
        for (int i = 0; i < values.size(); i++) {
            max = Math.max(max, Math.abs(values.get(i).asDouble() - actual.data()[i]));
        }
        assertTrue(max <= TOLERANCE, name + ": max abs diff " + max + " > " + TOLERANCE);
        return max;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
