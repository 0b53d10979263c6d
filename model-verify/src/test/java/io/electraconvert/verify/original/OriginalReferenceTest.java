package io.electraconvert.verify.original;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The independent transcription of google-research/electra against what TensorFlow computed on each fixture
 * ({@code reference.json}; the variant fixtures were built by the original's own graph code): every hidden state and
 * every head output within 1e-4. Nothing here is converted.
 */
class OriginalReferenceTest {
    private static final double TOLERANCE = 1e-4;

    /** fixture, network or task, reference key of the logits (or {@code -}), our output name, key of the hidden states. */
    private static final String[][] CASES = {
            {"small", "discriminator", "discriminator", "logits", "discriminator"},
            {"small", "generator", "generator", "logits", "generator"},
            {"base", "discriminator", "discriminator", "logits", "discriminator"},
            {"base", "generator", "generator", "logits", "generator"},
            {"untied", "discriminator", "discriminator", "logits", "discriminator"},
            {"untied", "generator", "generator", "logits", "generator"},
            {"sharded", "discriminator", "discriminator", "logits", "discriminator"},
            {"sharded", "generator", "generator", "logits", "generator"},
            {"released", "discriminator", "discriminator", "logits", "discriminator"},
            {"released", "generator", "generator", "logits", "generator"},
            {"finetune-glue", "task:mnli", "mnli.logits", "logits", "body.hidden_states"},
            {"finetune-glue", "task:sts", "sts.predictions", "logits", "body.hidden_states"},
            {"finetune-tagging", "task:chunk", "chunk.logits", "logits", "body.hidden_states"},
            {"finetune-squad", "task:squad", "squad.start_logits", "start_logits", "body.hidden_states"},
            {"finetune-squad", "task:squad", "squad.end_logits", "end_logits", "body.hidden_states"},
            {"finetune-squad-joint", "body", "-", "-", "body.hidden_states"},
            {"mlm-only", "generator", "generator.logits", "logits", "body.hidden_states"},
            {"tied-generator", "discriminator", "discriminator.logits", "logits", "body.hidden_states"},
            {"tied-generator", "generator", "generator.logits", "logits", "body.hidden_states"},
            {"electric", "discriminator", "discriminator.logits", "logits", "body.hidden_states"},
            {"uniform-generator", "discriminator", "discriminator.logits", "logits", "body.hidden_states"},
            {"meta-heads", "discriminator", "discriminator.logits", "logits", "body.hidden_states"},
            {"meta-heads", "generator", "generator.logits", "logits", "generator.hidden_states"},
    };

    @TestFactory
    Stream<DynamicTest> theOriginalsForwardPassMatchesTensorFlow() {
        return Stream.of(CASES).map(c -> DynamicTest.dynamicTest(c[0] + " " + c[1] + " " + c[3], () -> check(c)));
    }

    private static void check(String[] c) throws Exception {
        Path dir = Fixtures.checkpoint(c[0]);
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        boolean task = c[1].startsWith("task:");
        try (OriginalCheckpoint checkpoint = OriginalCheckpoint.open(dir)) {
            OriginalNetwork network = OriginalNetwork.locate(checkpoint, task ? "" : c[1],
                    task ? Optional.of(c[1].substring(5)) : Optional.empty(), OriginalNetwork.Head.CLASSIFICATION);
            OriginalConfig config = OriginalConfig.of(checkpoint, network, Optional.empty());
            OriginalElectra model = new OriginalElectra(checkpoint, network, config, MatMul.kernel());
            JsonNode inputs = ref.get("inputs");
            int batch = inputs.get("input_ids").size();
            int seq = inputs.get("input_ids").get(0).size();
            ModelInput input = new ModelInput(new int[] {batch, seq}, flat(inputs.get("input_ids")),
                    flat(inputs.get("token_type_ids")), flat(inputs.get("attention_mask")));
            List<ModelInput> one = List.of(input);
            List<float[]> hidden = model.embeddings(one);
            List<float[]> states = new ArrayList<>(List.of(hidden.get(0)));
            for (int l = 0; l < model.numLayers(); l++) {
                hidden = model.layer(l, hidden, one);
                states.add(hidden.get(0));
            }
            JsonNode expectedStates = c[4].contains(".") ? ref.get("outputs").get(c[4]) : ref.get(c[4]).get("hidden_states");
            assertEquals(expectedStates.size(), states.size(), "hidden states");
            for (int l = 0; l < states.size(); l++) {
                assertClose(floats(expectedStates.get(l)), states.get(l), c[0] + " hidden_states[" + l + "]");
            }
            if (!c[2].equals("-")) {
                Map<String, Tensor> out = model.head(hidden, one).get(0);
                JsonNode expected = c[2].contains(".") ? ref.get("outputs").get(c[2]) : ref.get(c[2]).get("logits");
                assertClose(floats(expected), out.get(c[3]).data(), c[0] + " " + c[3]);
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= TOLERANCE, what + ": max abs diff " + max);
    }

    private static int[] flat(JsonNode rows) {
        List<Integer> values = new ArrayList<>();
        rows.forEach(r -> r.forEach(v -> values.add(v.asInt())));
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(JsonNode nested) {
        List<Float> values = new ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> into) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, into));
        } else {
            into.add((float) node.asDouble());
        }
    }
}
