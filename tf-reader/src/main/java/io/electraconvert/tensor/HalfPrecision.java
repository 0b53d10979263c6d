package io.electraconvert.tensor;

/**
 * IEEE binary16 ("half", float16) and bfloat16 conversions. Java 17 has no {@code Float.float16ToFloat}, so
 * these are explicit bit manipulations. Narrowing rounds to nearest, ties to even, as numpy and torch do.
 */
public final class HalfPrecision {
    private HalfPrecision() {}

    /** Widens a bfloat16 (the upper 16 bits of a float32) exactly. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Narrows to bfloat16 with round-to-nearest-even; NaN stays a (quiet) NaN. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Widens an IEEE binary16 exactly, including subnormals, infinities and NaN. */
    public static float float16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // Inf or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Narrows to IEEE binary16 with round-to-nearest-even; overflow gives infinity, NaN stays NaN. */
    public static short floatToFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 112; // rebias 127 -> 15
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            // subnormal or zero in half precision: shift the implicit-1 mantissa into place, round to even
            if (halfExponent < -10) {
                return (short) sign;
            }
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            int halfMantissa = full >>> shift;
            int remainder = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (remainder > halfway || (remainder == halfway && (halfMantissa & 1) != 0)) {
                halfMantissa++;
            }
            return (short) (sign | halfMantissa);
        }
        int result = (halfExponent << 10) | (mantissa >>> 13);
        int remainder = mantissa & 0x1fff;
        if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1) != 0)) {
            result++; // may carry into the exponent, which correctly rounds up to the next binade or to Inf
        }
        return (short) (sign | result);
    }
}
