package io.electraconvert.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.json.JsonMappers;
import io.electraconvert.hf.electra.DroppedVariable;
import java.util.List;

/** Pieces more than one JSON document holds, so that they have one shape everywhere. */
final class JsonParts {
    private JsonParts() {}

    /** A config's sizes and activation, and its labels when not transformers' defaults, under transformers' names. */
    static ObjectNode config(ElectraConfig c) {
        ObjectNode n = JsonMappers.PRETTY.createObjectNode()
                .put("vocab_size", c.vocabSize())
                .put("embedding_size", c.embeddingSize())
                .put("hidden_size", c.hiddenSize())
                .put("num_hidden_layers", c.numHiddenLayers())
                .put("num_attention_heads", c.numAttentionHeads())
                .put("intermediate_size", c.intermediateSize())
                .put("max_position_embeddings", c.maxPositionEmbeddings())
                .put("type_vocab_size", c.typeVocabSize())
                .put("hidden_act", c.hiddenAct());
        if (!c.labels().equals(ElectraConfig.DEFAULT_LABELS)) {
            c.labels().forEach(n.putArray("id2label")::add);
        }
        if (c.problemType() != null) {
            n.put("problem_type", c.problemType());
        }
        return n;
    }

    /** Dropped variables counted by reason: {@code {"optimizer_slot": {"count": 120, "message": "..."}}}. */
    static ObjectNode dropped(List<DroppedVariable> dropped) {
        ObjectNode byReason = JsonMappers.PRETTY.createObjectNode();
        for (DroppedVariable d : dropped) {
            ObjectNode entry = byReason.has(d.reason().id()) ? (ObjectNode) byReason.get(d.reason().id())
                    : byReason.putObject(d.reason().id()).put("count", 0).put("message", d.message());
            entry.put("count", entry.get("count").asInt() + 1);
        }
        return byReason;
    }
}
