package io.electraconvert.verify.model;

import java.util.Map;

/** A task head on top of the encoder's last hidden state. */
interface Head {

    /**
     * @param hidden the last hidden state, rows {@code [sequences·seq, H]}
     * @return the logits by transformers' output name
     */
    Map<String, Tensor> apply(float[] hidden, ModelInput input);
}
