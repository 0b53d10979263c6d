package io.electraconvert.hf.electra;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.schema.TfLayout;
import java.util.Optional;

/**
 * What one choice converts: the HF head, where its variables live, the transformer it uses, and its config with the
 * provenance of each value. {@link ElectraCheckpointModel#require} makes it from the checkpoint alone (shapes, task
 * definitions, options, rules); {@link ConfigResolver} then applies the hparams and the graph.
 *
 * @param choice the choice, resolved (a task choice names its task)
 * @param tower  which transformer the config describes, for hparams: the {@code electra/} body or the separate
 *               {@code generator/}
 * @param task   the fine-tuned head, for a task choice
 */
public record ModelLayout(ModelChoice choice, HeadKind head, TfLayout tf, Hparams.Tower tower, ElectraConfig config,
                          ConfigProvenance provenance, Optional<TaskHead> task) {
    public ModelLayout withConfig(ElectraConfig newConfig, ConfigProvenance newProvenance) {
        return new ModelLayout(choice, head, tf, tower, newConfig, newProvenance, task);
    }

    public ModelLayout withTf(TfLayout newTf) {
        return new ModelLayout(choice, head, newTf, tower, config, provenance, task);
    }
}
