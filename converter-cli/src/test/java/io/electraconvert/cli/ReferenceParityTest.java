package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.ModelOutput;
import io.electraconvert.verify.model.Tensor;
import io.electraconvert.verify.weights.TfCheckpointWeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java forward pass over the ORIGINAL checkpoint (through {@link TfCheckpointWeightSource}, nothing converted)
 * against the outputs TensorFlow computed for each fixture ({@code reference.json}).
 */
class ReferenceParityTest {
    private static final double TOLERANCE = 1e-4;

    @TestFactory
    Stream<DynamicTest> javaForwardPassMatchesTensorFlow() {
        return Stream.of("small", "base", "untied", "sharded", "released").flatMap(fixture ->
                Stream.of(ElectraNetwork.DISCRIMINATOR, ElectraNetwork.GENERATOR).map(network ->
                        DynamicTest.dynamicTest(fixture + " " + network.cliName(), () -> check(fixture, network))));
    }

    private static void check(String fixture, ElectraNetwork network) throws Exception {
        Path dir = CliRun.fixture(fixture);
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        ElectraModel model;
        try (TfCheckpointWeightSource source = TfCheckpointWeightSource.open(dir, network,
                Optional.of(Hparams.read(dir.resolve("hparams.json"))))) {
            JsonNode expectedConfig = ref.get("config").get(network.cliName());
            assertEquals(expectedConfig.get("num_attention_heads").asInt(), source.modelConfig().numAttentionHeads());
            assertEquals(expectedConfig.get("hidden_size").asInt(), source.modelConfig().hiddenSize());
            model = ElectraModel.load(source.modelConfig(), source, network.head());
        }
        JsonNode inputs = ref.get("inputs");
        int batch = inputs.get("input_ids").size();
        int seq = inputs.get("input_ids").get(0).size();
        ModelInput input = new ModelInput(new int[] {batch, seq}, flatInts(inputs.get("input_ids")),
                flatInts(inputs.get("token_type_ids")), flatInts(inputs.get("attention_mask")));
        ModelOutput out = model.forward(input);
        JsonNode expected = ref.get(network.cliName());

        double logits = maxAbsDiff(network.cliName() + ".logits", expected.get("logits"), out.logits("logits"));
        JsonNode hidden = expected.get("hidden_states");
        assertEquals(hidden.size(), out.hiddenStates().size(), "number of hidden states");
        double hiddenMax = 0;
        for (int i = 0; i < hidden.size(); i++) {
            hiddenMax = Math.max(hiddenMax, maxAbsDiff(network.cliName() + ".hidden_states[" + i + "]", hidden.get(i),
                    out.hiddenStates().get(i)));
        }
        System.out.printf("reference parity %-8s %-13s logits max abs diff %.3e, hidden_states max abs diff %.3e%n",
                fixture, network.cliName(), logits, hiddenMax);
    }

    private static double maxAbsDiff(String name, JsonNode expected, Tensor actual) {
        List<Integer> shape = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        flatten(expected, 0, shape, values);
        assertArrayEquals(shape.stream().mapToInt(Integer::intValue).toArray(), actual.shape(), name + " shape");
        double max = 0;
        for (int i = 0; i < values.size(); i++) {
            max = Math.max(max, Math.abs(values.get(i) - actual.data()[i]));
        }
        double m = max;
        assertTrue(m <= TOLERANCE, name + ": max abs diff " + m + " > " + TOLERANCE);
        return max;
    }

    private static void flatten(JsonNode node, int depth, List<Integer> shape, List<Double> values) {
        if (node.isArray()) {
            if (shape.size() == depth) {
                shape.add(node.size());
            }
            for (JsonNode child : node) {
                flatten(child, depth + 1, shape, values);
            }
        } else {
            values.add(node.asDouble());
        }
    }

    private static int[] flatInts(JsonNode node) {
        List<Integer> shape = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        flatten(node, 0, shape, values);
        return values.stream().mapToInt(Double::intValue).toArray();
    }
}
