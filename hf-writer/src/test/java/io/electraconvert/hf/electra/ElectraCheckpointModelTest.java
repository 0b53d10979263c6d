package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recognition and mapping rules on name/shape tables. The checkpoint files themselves are covered by the
 * TensorFlow-written fixtures; these cover layouts the fixtures do not (a discriminator-only checkpoint, stray
 * variables) without inventing bytes.
 */
class ElectraCheckpointModelTest {
    @TempDir
    Path tmp;

    /** A discriminator-only table (as a fine-tuning-era export would have): E=4, H=8, 1 layer, I=16, V=10. */
    private static Map<String, long[]> discriminatorOnly() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("electra/embeddings/word_embeddings", new long[] {10, 4});
        s.put("electra/embeddings/position_embeddings", new long[] {6, 4});
        s.put("electra/embeddings/token_type_embeddings", new long[] {2, 4});
        s.put("electra/embeddings/LayerNorm/gamma", new long[] {4});
        s.put("electra/embeddings/LayerNorm/beta", new long[] {4});
        s.put("electra/embeddings_project/kernel", new long[] {4, 8});
        s.put("electra/embeddings_project/bias", new long[] {8});
        String l = "electra/encoder/layer_0/";
        for (String m : new String[] {"attention/self/query", "attention/self/key", "attention/self/value", "attention/output/dense"}) {
            s.put(l + m + "/kernel", new long[] {8, 8});
            s.put(l + m + "/bias", new long[] {8});
        }
        s.put(l + "attention/output/LayerNorm/gamma", new long[] {8});
        s.put(l + "attention/output/LayerNorm/beta", new long[] {8});
        s.put(l + "intermediate/dense/kernel", new long[] {8, 16});
        s.put(l + "intermediate/dense/bias", new long[] {16});
        s.put(l + "output/dense/kernel", new long[] {16, 8});
        s.put(l + "output/dense/bias", new long[] {8});
        s.put(l + "output/LayerNorm/gamma", new long[] {8});
        s.put(l + "output/LayerNorm/beta", new long[] {8});
        s.put("discriminator_predictions/dense/kernel", new long[] {8, 8});
        s.put("discriminator_predictions/dense/bias", new long[] {8});
        s.put("discriminator_predictions/dense_1/kernel", new long[] {8, 1});
        s.put("discriminator_predictions/dense_1/bias", new long[] {1});
        s.put("global_step", new long[] {});
        return s;
    }

    @Test
    void generatorRequestedFromDiscriminatorOnlyCheckpoint() {
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), discriminatorOnly()));
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> model.require(ElectraNetwork.GENERATOR));
        assertEquals("ckpt.index: the checkpoint has no generator variables (generator/* and generator_predictions/* are "
                + "absent, as a checkpoint trained with uniform_generator: true has them: that generator samples uniformly "
                + "and has no weights; it has electra/* and discriminator_predictions/*): convert --model discriminator "
                + "(ElectraForPreTraining) or --model body (ElectraModel)",
                e.getMessage());
    }

    @Test
    void inferredConfigAndPlan() {
        TensorShapes shapes = new TensorShapes(Path.of("ckpt.index"), discriminatorOnly());
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(shapes);
        ModelLayout layout = model.require(ElectraNetwork.DISCRIMINATOR);
        var c = layout.config();
        assertEquals(10, c.vocabSize());
        assertEquals(4, c.embeddingSize());
        assertEquals(8, c.hiddenSize());
        assertEquals(1, c.numHiddenLayers());
        assertEquals(1, c.numAttentionHeads());
        assertEquals(16, c.intermediateSize());
        assertEquals(6, c.maxPositionEmbeddings());
        ConversionPlan plan = ConversionPlanner.plan(model, layout);
        assertEquals(27, plan.tensors().size()); // 5 embeddings + 2 projection + 16 layer + 4 head
        SchemaTensor prediction = plan.tensors().get(plan.tensors().size() - 2);
        assertEquals("discriminator_predictions.dense_prediction.weight", prediction.key());
        assertEquals(List.of("discriminator_predictions/dense_1/kernel"), plan.variables(prediction.source()));
        for (SchemaTensor t : plan.tensors()) {
            boolean kernel = plan.variables(t.source()).get(0).endsWith("/kernel");
            assertEquals(kernel, t.source() instanceof TfSource.Transpose, t.key());
        }
        assertEquals(1, plan.dropped().size());
    }

    @Test
    void unknownVariableIsAnError() {
        Map<String, long[]> s = discriminatorOnly();
        s.put("electra/encoder/layer_0/attention/self/rotary/kernel", new long[] {8, 8});
        TensorShapes shapes = new TensorShapes(Path.of("ckpt.index"), s);
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(shapes);
        ModelLayout layout = model.require(ElectraNetwork.DISCRIMINATOR);
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> ConversionPlanner.plan(model, layout));
        assertTrue(e.getMessage().contains("unknown variable 'electra/encoder/layer_0/attention/self/rotary/kernel'"), e.getMessage());
    }

    @Test
    void missingVariableIsAnError() {
        Map<String, long[]> s = discriminatorOnly();
        s.remove("electra/encoder/layer_0/output/LayerNorm/beta");
        TensorShapes shapes = new TensorShapes(Path.of("ckpt.index"), s);
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(shapes);
        ModelLayout layout = model.require(ElectraNetwork.DISCRIMINATOR);
        BadInputException e = assertThrows(BadInputException.class, () -> ConversionPlanner.plan(model, layout));
        assertTrue(e.getMessage().endsWith("no variable provides electra.encoder.layer.0.output.LayerNorm.bias"
                + " (expected 'electra/encoder/layer_0/output/LayerNorm/beta')"), e.getMessage());
    }

    @Test
    void aDimensionPastTwoToTheThirtyOneIsAFormatError() {
        Map<String, long[]> s = discriminatorOnly();
        s.put("electra/embeddings/word_embeddings", new long[] {1L << 31, 4});
        BadInputException e = assertThrows(BadInputException.class,
                () -> ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), s)));
        assertEquals("ckpt.index: variable 'electra/embeddings/word_embeddings' has shape [2147483648, 4]: dimension 0 is "
                + "not a size an ELECTRA model can have", e.getMessage());
    }

    @Test
    void aLayerIndexPastAnIntIsAFormatError() {
        Map<String, long[]> s = discriminatorOnly();
        s.put("electra/encoder/layer_99999999999/output/dense/bias", new long[] {8});
        BadInputException e = assertThrows(BadInputException.class,
                () -> ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), s)));
        assertEquals("ckpt.index: variable 'electra/encoder/layer_99999999999/output/dense/bias' names encoder layer "
                + "99999999999, not a layer index", e.getMessage());
    }

    @Test
    void hparamsValuesOfTheWrongTypeAreNamedNotCast() throws Exception {
        String[][] cases = {
                {"{\"model_size\": \"base\", \"model_hparam_overrides\": {\"hidden_size\": \"32\"}}",
                        "hidden_size must be a positive integer, got \"32\""},
                {"{\"model_hparam_overrides\": [1]}", "model_hparam_overrides must be a JSON object, got [1]"},
                {"{\"generator_hidden_size\": \"quarter\"}", "generator_hidden_size must be a positive number, got \"quarter\""},
                {"{\"model_size\": 3}", "model_size must be \"small\", \"base\" or \"large\", got 3"},
                {"{\"hidden_size\": 32, \"hidden_act\": \"banana\"}",
                        "hidden_act must be one of [gelu, relu, tanh, linear] (google-research/electra's get_activation), got \"banana\""},
                {"{\"untied_generator_embeddings\": \"yes\"}", "untied_generator_embeddings must be true or false, got \"yes\""},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(tmp.resolve("hparams.json"), c[0]);
            BadInputException e = assertThrows(BadInputException.class, () -> Hparams.read(file), c[0]);
            assertEquals(file + ": " + c[1], e.getMessage());
        }
    }
}
