package io.electraconvert.hf.weights;

import java.util.OptionalLong;

/**
 * Element counts and byte sizes of the shapes weight files declare. The readers of all three formats take them from
 * this one place, so a corrupt shape never wraps around or throws an arithmetic exception: it has no size, and the
 * reader says so in its own words.
 */
public final class TensorSizes {
    private TensorSizes() {}

    /**
     * The number of elements: 0 when a dimension is 0 (whatever the others are), else the product of the
     * dimensions; empty when a dimension is negative or the product exceeds {@link Long#MAX_VALUE}.
     */
    public static OptionalLong elements(long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                return OptionalLong.empty();
            }
            if (d == 0) {
                return OptionalLong.of(0);
            }
        }
        long n = 1;
        for (long d : shape) {
            if (n > Long.MAX_VALUE / d) {
                return OptionalLong.empty();
            }
            n *= d;
        }
        return OptionalLong.of(n);
    }

    /** {@link #elements} times {@code elementSize} bytes; empty when that exceeds {@link Long#MAX_VALUE}. */
    public static OptionalLong bytes(long[] shape, int elementSize) {
        OptionalLong n = elements(shape);
        if (n.isEmpty() || elementSize < 0 || elementSize > 0 && n.getAsLong() > Long.MAX_VALUE / elementSize) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n.getAsLong() * elementSize);
    }
}
