package io.electraconvert.hf.electra;

import io.electraconvert.hf.config.ElectraConfig;

/**
 * Where one network lives in the checkpoint and the config its tensor shapes imply.
 *
 * @param embeddingsScope {@code electra/embeddings/} (shared) or {@code generator/embeddings/} (untied generator)
 */
public record NetworkLayout(ElectraNetwork network, String embeddingsScope, ElectraConfig config) {
    public String towerScope() {
        return network.towerScope();
    }

    public NetworkLayout withConfig(ElectraConfig newConfig) {
        return new NetworkLayout(network, embeddingsScope, newConfig);
    }
}
