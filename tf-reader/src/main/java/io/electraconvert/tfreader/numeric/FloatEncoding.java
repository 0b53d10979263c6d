package io.electraconvert.tfreader.numeric;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The floating-point encodings weight files use, and their widening (or, for float64, rounding) to float32. Every
 * reader of the project decodes through this one place.
 */
public enum FloatEncoding {
    FLOAT64(8), FLOAT32(4), FLOAT16(2), BFLOAT16(2);

    private final int size;

    FloatEncoding(int size) {
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The first {@code count} values of a little-endian buffer (from its position) as float32. */
    public float[] decode(ByteBuffer littleEndian, int count) {
        ByteBuffer b = littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        float[] out = new float[count];
        switch (this) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getDouble(base + 8 * i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfPrecision.float16ToFloat(b.getShort(base + 2 * i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfPrecision.bfloat16ToFloat(b.getShort(base + 2 * i));
                }
            }
            default -> throw new AssertionError(this);
        }
        return out;
    }
}
