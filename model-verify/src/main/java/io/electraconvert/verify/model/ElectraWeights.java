package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.schema.ElectraSchema;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.verify.weights.WeightSource;
import java.util.Arrays;

/**
 * A {@link WeightSource} checked against the {@link ElectraSchema} for a config and head before anything is read:
 * every tensor the head needs is there with the shape the config implies. Callers name body tensors without the
 * {@code electra.} prefix a head model stores them under.
 */
final class ElectraWeights {
    private final WeightSource source;
    private final String bodyPrefix;

    ElectraWeights(WeightSource source, ElectraConfig config, HeadKind head) {
        this.source = source;
        this.bodyPrefix = head.bodyPrefix();
        for (SchemaTensor t : ElectraSchema.tensors(config, head)) {
            if (!source.keys().contains(t.key())) {
                throw new BadInputException(source.fileOf(t.key()), "no tensor " + t.key() + " (" + head.architecture()
                        + " needs it)");
            }
            long[] actual = source.shape(t.key());
            if (!Arrays.equals(actual, t.shape())) {
                throw new BadInputException(source.fileOf(t.key()), "tensor " + t.key() + " has shape "
                        + Arrays.toString(actual) + " but the config implies " + Arrays.toString(t.shape()));
            }
        }
        // a stored copy of a tied tensor (generator_lm_head.weight) must fit where the tied one does
        ElectraSchema.TIED_KEYS.forEach((tied, to) -> {
            if (source.keys().contains(tied) && source.keys().contains(to)
                    && !Arrays.equals(source.shape(tied), source.shape(to))) {
                throw new BadInputException(source.fileOf(tied), "tensor " + tied + " has shape "
                        + Arrays.toString(source.shape(tied)) + " but " + to + " has " + Arrays.toString(source.shape(to)));
            }
        });
    }

    /** A body tensor, e.g. {@code encoder.layer.0.attention.self.query.weight}. */
    float[] body(String key) {
        return source.floats(bodyPrefix + key);
    }

    /** A head tensor, named as stored. */
    float[] head(String key) {
        return source.floats(key);
    }

    boolean has(String key) {
        return source.keys().contains(key);
    }
}
