package io.electraconvert.verify.weights;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link WeightSource} over arrays held in memory, for tests and synthetic benchmarks. */
public final class InMemoryWeightSource implements WeightSource {

    private record Entry(long[] shape, float[] values) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** Adds a tensor; values are kept by reference, not copied. */
    public InMemoryWeightSource put(String hfKey, float[] values, long... shape) {
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count != values.length) {
            throw new BadInputException(hfKey + ": " + values.length + " values do not fill shape " + Arrays.toString(shape));
        }
        tensors.put(hfKey, new Entry(shape.clone(), values));
        return this;
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public long[] shape(String hfKey) {
        return entry(hfKey).shape().clone();
    }

    @Override
    public Path fileOf(String hfKey) {
        return null;
    }

    @Override
    public float[] floats(String hfKey) {
        return entry(hfKey).values();
    }

    @Override
    public void close() {
        tensors.clear();
    }

    private Entry entry(String hfKey) {
        Entry entry = tensors.get(hfKey);
        if (entry == null) {
            throw new BadInputException("in-memory weights: no tensor " + hfKey);
        }
        return entry;
    }
}
