package io.electraconvert.hf.electra;

import java.util.Locale;
import java.util.Optional;

/** Why a checkpoint variable is left out of a conversion, as a stable identifier for programs (JSON keys). */
public enum DropReason {
    /** {@code adam_m} / {@code adam_v}: training state, no model weight. */
    OPTIMIZER_SLOT,
    /** {@code global_step}. */
    TRAINING_STEP,
    /** The embeddings of the other network, where this one has its own. */
    OTHER_NETWORK_EMBEDDINGS,
    /** The other network's tower or head. */
    OTHER_NETWORK,
    /** Electric's two-tower cloze generator, which no HF class computes. */
    TWO_TOWER_GENERATOR,
    /** The head of another fine-tuning task of the same checkpoint. */
    OTHER_TASK,
    /** SQuAD 2.0's answerable classifier, for which ElectraForQuestionAnswering has no place. */
    ANSWERABLE_CLASSIFIER;

    /** e.g. {@code optimizer_slot}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code name} dropped for this reason, {@code message} saying it in words. */
    Optional<DroppedVariable> drop(String name, String message) {
        return Optional.of(new DroppedVariable(name, this, message));
    }
}
