package io.electraconvert.hf.mapping;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.electra.ElectraNetwork;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state_dict transformers' {@code ElectraForPreTraining} / {@code ElectraForMaskedLM} expect for a config,
 * key -> shape, in module order. The tied {@code generator_lm_head.weight} is left out, as save_pretrained does.
 */
public final class ElectraStateDict {
    private ElectraStateDict() {}

    public static Map<String, long[]> expectedShapes(ElectraConfig c, ElectraNetwork network) {
        Map<String, long[]> keys = new LinkedHashMap<>();
        long v = c.vocabSize();
        long e = c.embeddingSize();
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        keys.put("electra.embeddings.word_embeddings.weight", new long[] {v, e});
        keys.put("electra.embeddings.position_embeddings.weight", new long[] {c.maxPositionEmbeddings(), e});
        keys.put("electra.embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), e});
        keys.put("electra.embeddings.LayerNorm.weight", new long[] {e});
        keys.put("electra.embeddings.LayerNorm.bias", new long[] {e});
        if (c.hasEmbeddingsProject()) {
            linear(keys, "electra.embeddings_project", h, e);
        }
        for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
            String p = "electra.encoder.layer." + layer + ".";
            linear(keys, p + "attention.self.query", h, h);
            linear(keys, p + "attention.self.key", h, h);
            linear(keys, p + "attention.self.value", h, h);
            linear(keys, p + "attention.output.dense", h, h);
            layerNorm(keys, p + "attention.output.LayerNorm", h);
            linear(keys, p + "intermediate.dense", i, h);
            linear(keys, p + "output.dense", h, i);
            layerNorm(keys, p + "output.LayerNorm", h);
        }
        if (network == ElectraNetwork.DISCRIMINATOR) {
            linear(keys, "discriminator_predictions.dense", h, h);
            linear(keys, "discriminator_predictions.dense_prediction", 1, h);
        } else {
            linear(keys, "generator_predictions.dense", e, h);
            layerNorm(keys, "generator_predictions.LayerNorm", e);
            keys.put("generator_lm_head.bias", new long[] {v});
        }
        return keys;
    }

    private static void linear(Map<String, long[]> keys, String module, long out, long in) {
        keys.put(module + ".weight", new long[] {out, in});
        keys.put(module + ".bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> keys, String module, long width) {
        keys.put(module + ".weight", new long[] {width});
        keys.put(module + ".bias", new long[] {width});
    }
}
