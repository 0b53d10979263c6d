package io.electraconvert.verify.model;

import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import java.util.List;
import io.electraconvert.error.UnsupportedInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.verify.weights.InMemoryWeightSource;
import io.electraconvert.verify.weights.HfFolderWeightSource;
import io.electraconvert.verify.weights.WeightSource;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load-time errors and key normalisation, on copies of the masked-LM fixture's weights. */
class ElectraModelLoadingTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ElectraModelLoadingTest.class.getResource("/hf-fixtures/" + name).toURI());
    }

    /** The fixture's tensors in memory, optionally without one key or with one key replaced. */
    private static InMemoryWeightSource copy(String fixture, String drop, String replace, float[] values, long... shape)
            throws URISyntaxException {
        InMemoryWeightSource copy = new InMemoryWeightSource();
        try (WeightSource source = HfFolderWeightSource.open(fixture(fixture))) {
            for (String key : source.keys()) {
                if (key.equals(replace)) {
                    copy.put(key, values, shape);
                } else if (!key.equals(drop)) {
                    copy.put(key, source.floats(key), source.shape(key));
                }
            }
        }
        return copy;
    }

    private static ElectraConfig config(String fixture) throws URISyntaxException {
        return ElectraConfig.read(fixture(fixture).resolve("config.json"));
    }

    @Test
    void missingKeyIsNamed() throws URISyntaxException {
        String key = "electra.encoder.layer.1.intermediate.dense.bias";
        BadInputException e = assertThrows(BadInputException.class,
                () -> ElectraModel.load(config("masked-lm"), copy("masked-lm", key, null, null)));
        assertEquals("no tensor " + key + " (ElectraForMaskedLM needs it)", e.getMessage()); // in memory: no file to name
    }

    @Test
    void shapeMismatchAgainstConfigIsNamed() throws URISyntaxException {
        String key = "electra.encoder.layer.0.intermediate.dense.weight";
        BadInputException e = assertThrows(BadInputException.class,
                () -> ElectraModel.load(config("masked-lm"), copy("masked-lm", null, key, new float[32 * 63], 63, 32)));
        assertEquals("tensor " + key + " has shape [63, 32] but the config implies [64, 32]", e.getMessage());
    }

    @Test
    void noWordEmbeddingsAtAllIsReported() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ElectraModel.load(config("masked-lm"), new InMemoryWeightSource()));
        assertEquals("no tensor electra.embeddings.word_embeddings.weight (ElectraForMaskedLM needs it)", e.getMessage());
    }

    @Test
    void untiedLmHeadWeightIsUsedWhenPresent() throws URISyntaxException {
        ElectraConfig config = config("masked-lm");
        ModelInput input = ModelInput.of(new int[] {1, 3}, new int[] {1, 7, 9});
        float[] tied = ElectraModel.load(config, copy("masked-lm", null, null, null)).forward(input)
                .logits("logits").data();
        float[] zeros = new float[config.vocabSize() * config.embeddingSize()];
        InMemoryWeightSource untied = copy("masked-lm", null, null, null)
                .put("generator_lm_head.weight", zeros, config.vocabSize(), config.embeddingSize());
        Tensor logits = ElectraModel.load(config, untied).forward(input).logits("logits");
        assertArrayEquals(new int[] {1, 3, 40}, logits.shape());
        // with a zero weight only the bias remains, the same in every position
        assertEquals(logits.data()[5], logits.data()[40 + 5]);
        assertTrue(tied[5] != logits.data()[5]);
    }

    @Test
    void baseModelFolderWithoutPrefixLoads() throws URISyntaxException {
        ElectraConfig config = config("base-model");
        ModelInput input = ModelInput.of(new int[] {1, 4}, new int[] {1, 5, 6, 7});
        ModelOutput bare = ElectraModel.load(config, copy("base-model", null, null, null)).forward(input);
        assertEquals(3, bare.hiddenStates().size());
        assertArrayEquals(new int[] {1, 4, 32}, bare.lastHiddenState().shape());
        assertTrue(bare.logits().isEmpty());
    }

    @Test
    void overlongSequenceIsRejected() throws URISyntaxException {
        ElectraModel model = ElectraModel.load(config("pretraining"), copy("pretraining", null, null, null));
        BadInputException e = assertThrows(BadInputException.class,
                () -> model.forward(ModelInput.of(new int[] {1, 25}, new int[25])));
        assertEquals("input: sequence length 25 exceeds max_position_embeddings 24", e.getMessage());
    }

    @Test
    void configDefaultsAndLabels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"architectures\":[\"ElectraForTokenClassification\"],"
                + "\"id2label\":{\"0\":\"O\",\"1\":\"B\",\"2\":\"I\"}}");
        ModelFolder folder = ModelFolder.open(dir);
        ElectraConfig config = folder.config();
        assertEquals(HeadKind.TOKEN_CLASSIFICATION, folder.head());
        assertEquals(List.of("O", "B", "I"), config.labels());
        assertEquals(30522, config.vocabSize());
        assertEquals(128, config.embeddingSize());
        assertEquals(256, config.hiddenSize());
        assertEquals(4, config.numAttentionHeads());
        assertEquals("gelu", config.hiddenAct());
        assertEquals(1e-12, config.layerNormEps());

        Files.writeString(file, "{\"architectures\":[\"ElectraForMultipleChoice\"], \"summary_type\":\"mean\"}");
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> ModelFolder.open(dir));
        assertEquals(file + ": summary_type=\"mean\" is not supported (only \"first\")", e.getMessage());
        Files.writeString(file, "{\"hidden_act\":\"mish\"}");
        e = assertThrows(UnsupportedInputException.class, () -> ModelFolder.open(dir));
        assertEquals(file + ": hidden_act \"mish\" is not one this forward pass computes", e.getMessage());
    }
}
