package io.electraconvert.hf.plan;

import java.util.Locale;

/** Why a checkpoint variable is left out of a conversion, as a stable identifier for programs (JSON keys). */
public enum DropReason {
    /** {@code adam_m} / {@code adam_v}: training state, no model weight. */
    OPTIMIZER_SLOT,
    /** {@code global_step}. */
    TRAINING_STEP,
    /** The embeddings of the other network, where this one has its own. */
    OTHER_NETWORK_EMBEDDINGS,
    /** The other network's tower or head. */
    OTHER_NETWORK;

    /** e.g. {@code optimizer_slot}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
