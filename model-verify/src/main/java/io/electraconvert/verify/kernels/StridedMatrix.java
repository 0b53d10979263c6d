package io.electraconvert.verify.kernels;

/** A row-major matrix inside a larger array: element (i, j) is {@code values[offset + i·stride + j]}. */
public record StridedMatrix(float[] values, int offset, int stride) {}
