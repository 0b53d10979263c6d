package io.electraconvert.hf.electra;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.TfLayout;

/** One network of a checkpoint: which it is, where its variables live, and the config its tensor shapes imply. */
public record NetworkLayout(ElectraNetwork network, TfLayout tf, ElectraConfig config) {
    public NetworkLayout withConfig(ElectraConfig newConfig) {
        return new NetworkLayout(network, tf, newConfig);
    }
}
