package io.electraconvert.verify.kernels;

/** Working space for a kernel: one float array per thread, grown on demand and kept, so tasks do not allocate. */
final class ThreadScratch {
    private final ThreadLocal<float[]> arrays = ThreadLocal.withInitial(() -> new float[0]);

    /** An array of at least {@code length} floats with unspecified contents. */
    float[] get(int length) {
        float[] array = arrays.get();
        if (array.length < length) {
            array = new float[length];
            arrays.set(array);
        }
        return array;
    }
}
