package io.electraconvert.verify.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row kernels lane-wise in float32 with the Vector API, exp and erf from {@link VectorMath}. Only the preferred
 * float species is used. Loaded only through {@link VectorMatMulKernel}.
 */
final class VectorRowKernels implements RowKernels {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();

    /** Whole vectors lane-wise; the elements past the last whole vector with the scalar reference. */
    @Override
    public void activate(Activation activation, float[] values, int from, int to) {
        int end = from + S.loopBound(to - from);
        for (int i = from; i < end; i += L) {
            activate(activation, FloatVector.fromArray(S, values, i)).intoArray(values, i);
        }
        for (int i = end; i < to; i++) {
            values[i] = activation.apply(values[i]);
        }
    }

    /** {@link Activation#apply}'s formulas with the same float32 operations in the same order. */
    private static FloatVector activate(Activation activation, FloatVector x) {
        return switch (activation) {
            case GELU_ERF -> x.mul(0.5f).mul(VectorMath.erf(x.mul(Activation.SQRT_HALF)).add(1f));
            case GELU_TANH -> {
                FloatVector u = x.mul(x).mul(x).mul(Activation.TANH_CUBIC).add(x).mul(Activation.SQRT_2_OVER_PI);
                // tanh(u) = 1 - 2/(e^2u + 1): absolute error ~1 ulp of 1, which is all that 1 + tanh sees
                FloatVector tanh = FloatVector.broadcast(S, 1f)
                        .sub(FloatVector.broadcast(S, 2f).div(VectorMath.exp(u.mul(2f)).add(1f)));
                yield x.mul(0.5f).mul(tanh.add(1f));
            }
            case RELU -> x.max(0f);
            case SILU -> x.div(VectorMath.exp(x.neg()).add(1f));
            // tanh(x) = 1 - 2/(e^2x + 1): within ~1 ulp of 1 (absolute), as for GELU_TANH above
            case TANH -> FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(VectorMath.exp(x.mul(2f)).add(1f)));
            case IDENTITY -> x;
        };
    }

    /**
     * Float lanes only: C2 in JDK 17 does not intrinsify float→double conversions between 512-bit vectors, and
     * widening through 256-bit floats into 512-bit doubles instead made C2 box the matmul kernel's vectors (its type
     * profiles then see several species). The reference's double precision is approached by summing x - x₀ (a
     * large common offset costs no precision) with Kahan compensation per lane, adding the lanes in double, and
     * carrying the mean and 1/σ as float pairs, so that x - mean and weight/σ are each within half an ulp: results
     * are within 2 ulp of max(1, |result|) of the reference. Rows that are not whole vectors take the reference.
     */
    @Override
    public void layerNorm(float[] x, int offset, int cols, float[] weight, float[] bias, float eps) {
        if (cols % L != 0) {
            LayerNorm.normalizeRow(x, offset, cols, weight, bias, eps);
            return;
        }
        float shift = x[offset];
        FloatVector sum = FloatVector.zero(S);
        FloatVector lost = FloatVector.zero(S);
        for (int i = 0; i < cols; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, offset + i).sub(shift).sub(lost);
            FloatVector t = sum.add(y);
            lost = t.sub(sum).sub(y);
            sum = t;
        }
        double mean = shift + (sumLanes(sum) - sumLanes(lost)) / cols;
        float meanHigh = (float) mean;
        float meanLow = (float) (mean - meanHigh);
        FloatVector squares = FloatVector.zero(S);
        lost = FloatVector.zero(S);
        for (int i = 0; i < cols; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, offset + i).sub(meanHigh).sub(meanLow);
            FloatVector y = d.mul(d).sub(lost);
            FloatVector t = squares.add(y);
            lost = t.sub(squares).sub(y);
            squares = t;
        }
        double inverseStd = 1 / Math.sqrt((sumLanes(squares) - sumLanes(lost)) / cols + eps);
        FloatVector inverseHigh = FloatVector.broadcast(S, (float) inverseStd);
        float inverseLow = (float) (inverseStd - (float) inverseStd);
        for (int i = 0; i < cols; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, offset + i).sub(meanHigh).sub(meanLow);
            FloatVector w = FloatVector.fromArray(S, weight, i);
            FloatVector scale = w.fma(inverseHigh, w.mul(inverseLow));
            d.fma(scale, FloatVector.fromArray(S, bias, i)).intoArray(x, offset + i);
        }
    }

    private static double sumLanes(FloatVector v) {
        double total = 0;
        for (float lane : v.toArray()) {
            total += lane;
        }
        return total;
    }

    /** Rows that are not whole vectors take the scalar reference (attention pads its rows to whole vectors). */
    @Override
    public void softmax(float[] x, int offset, int length, float scale, float[] mask, int maskOffset) {
        if (length % L != 0) {
            Softmax.applyInPlace(x, offset, length, scale, mask, maskOffset);
            return;
        }
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < length; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, offset + i).mul(scale)
                    .add(FloatVector.fromArray(S, mask, maskOffset + i));
            v.intoArray(x, offset + i);
            max = max.max(v);
        }
        float rowMax = max.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(S);
        for (int i = 0; i < length; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, offset + i).sub(rowMax));
            e.intoArray(x, offset + i);
            sum = sum.add(e);
        }
        float inverse = 1 / sum.reduceLanes(VectorOperators.ADD);
        for (int i = 0; i < length; i += L) {
            FloatVector.fromArray(S, x, offset + i).mul(inverse).intoArray(x, offset + i);
        }
    }
}
