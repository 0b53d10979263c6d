package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.weights.WeightSource;
import java.util.Arrays;

/**
 * Shape-checked access to a {@link WeightSource}. The one place where backbone keys are normalised: head models
 * store them under {@code electra.}, base-model folders without a prefix; callers always name them unprefixed.
 */
final class ElectraWeights {
    private static final String HEAD_PREFIX = "electra.";
    private static final String PROBE = "embeddings.word_embeddings.weight";

    private final WeightSource source;
    private final String backbonePrefix;

    ElectraWeights(WeightSource source) {
        this.source = source;
        if (source.keys().contains(HEAD_PREFIX + PROBE)) {
            backbonePrefix = HEAD_PREFIX;
        } else if (source.keys().contains(PROBE)) {
            backbonePrefix = "";
        } else {
            throw new BadInputException(source.fileOf(HEAD_PREFIX + PROBE), "no tensor " + HEAD_PREFIX + PROBE + " (nor " + PROBE
                    + "): not ELECTRA weights");
        }
    }

    /** A backbone tensor, e.g. {@code encoder.layer.0.attention.self.query.weight}, checked against {@code shape}. */
    float[] backbone(String key, long... shape) {
        return checked(backbonePrefix + key, shape);
    }

    /** A head tensor, named as stored (head keys never carry the prefix). */
    float[] head(String key, long... shape) {
        return checked(key, shape);
    }

    boolean hasHead(String key) {
        return source.keys().contains(key);
    }

    private float[] checked(String key, long[] expected) {
        if (!source.keys().contains(key)) {
            throw new BadInputException(source.fileOf(key), "no tensor " + key);
        }
        long[] actual = source.shape(key);
        if (!Arrays.equals(actual, expected)) {
            throw new BadInputException(source.fileOf(key), "tensor " + key + " has shape " + Arrays.toString(actual)
                    + " but the config implies " + Arrays.toString(expected));
        }
        return source.floats(key);
    }
}
