package io.electraconvert.verify.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and erf lane-wise in float32 for {@link VectorRowKernels}. The polynomials were fitted for this code
 * (minimax by iteratively reweighted least squares on a dense grid against 40-digit references, coefficients rounded
 * to float one at a time from the highest degree with the rest refitted) and are evaluated with FMA. VectorMathTest
 * checks every 1009th float of their ranges (erf once on every float in [0, 4.5]): both stay within 1 ulp of
 * {@link Math#exp} and {@link Erf#erf} rounded to float.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504f;
    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 10 significant bits, so n·LN2_HI is exact for |n| < 2^14. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** ln of the smallest normal float: below it exp returns 0 (no subnormal results). */
    static final float EXP_MIN = -87.33654f;
    /** The largest argument whose 2^n stays a normal float (n = 127): exp saturates at e^EXP_MAX beyond it. */
    static final float EXP_MAX = 88.37626f;
    private static final float ERF_SPLIT = 0.9f;
    /** Beyond 4, erf rounds to ±1 in float. */
    private static final float ERF_SATURATED = 4f;

    /** e^y, within 1 ulp of {@code (float) Math.exp(y)} on [EXP_MIN, EXP_MAX]; 0 below, e^EXP_MAX above. */
    static FloatVector exp(FloatVector y) {
        FloatVector x = y.max(EXP_MIN).min(EXP_MAX);
        // x = n·ln2 + r with |r| ≤ ln2/2, so e^x = 2^n·e^r; t holds n in its low bits
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        // e^r on [-ln2/2, ln2/2], degree 6: 3.8e-9 relative
        FloatVector p = FloatVector.broadcast(S, 0.0013814621f);
        p = p.fma(r, FloatVector.broadcast(S, 0.008368712f));
        p = p.fma(r, FloatVector.broadcast(S, 0.04166839f));
        p = p.fma(r, FloatVector.broadcast(S, 0.16666521f));
        p = p.fma(r, FloatVector.broadcast(S, 0.49999994f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        // 2^n: n shifted into the exponent field (the bits above it fall off), plus the bias of 1.0f
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(0x3F800000)
                .reinterpretAsFloats();
        return p.mul(scale).blend(0f, y.lt(EXP_MIN));
    }

    /** erf(z), within 1 ulp of {@code (float) Erf.erf(z)}. */
    static FloatVector erf(FloatVector z) {
        FloatVector a = z.abs();
        // |z| < 0.9: erf(z) = z + z·p(z²) with p ≈ erf(z)/z - 1 (degree 6, 8.6e-10 relative), z added exactly last
        FloatVector s = z.mul(z);
        FloatVector p = FloatVector.broadcast(S, 8.51307e-05f);
        p = p.fma(s, FloatVector.broadcast(S, -0.00081756315f));
        p = p.fma(s, FloatVector.broadcast(S, 0.0052038585f));
        p = p.fma(s, FloatVector.broadcast(S, -0.026860509f));
        p = p.fma(s, FloatVector.broadcast(S, 0.11283715f));
        p = p.fma(s, FloatVector.broadcast(S, -0.37612635f));
        p = p.fma(s, FloatVector.broadcast(S, 0.12837917f));
        FloatVector small = z.fma(p, z);
        // |z| ≥ 0.9: erf(|z|) = 1 - e^(g(c) - c²), c = min(|z|, 4), g ≈ ln(erfc(c)) + c² (degree 7, 5.7e-10 absolute
        // in erf); splitting off c² keeps the polynomial's values small, so its rounding errors stay small too
        FloatVector c = a.min(ERF_SATURATED);
        FloatVector g = FloatVector.broadcast(S, -2.0909356e-05f);
        g = g.fma(c, FloatVector.broadcast(S, 0.00043230076f));
        g = g.fma(c, FloatVector.broadcast(S, -0.0041605164f));
        g = g.fma(c, FloatVector.broadcast(S, 0.02509147f));
        g = g.fma(c, FloatVector.broadcast(S, -0.10823657f));
        g = g.fma(c, FloatVector.broadcast(S, 0.3666133f));
        g = g.fma(c, FloatVector.broadcast(S, -1.1294951f));
        g = g.fma(c, FloatVector.broadcast(S, 0.00017056489f));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(exp(c.neg().fma(c, g)));
        large = large.blend(large.neg(), z.lt(0f));
        return large.blend(small, a.lt(ERF_SPLIT));
    }
}
