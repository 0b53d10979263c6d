package io.electraconvert.hf.weights;

import io.electraconvert.tfreader.numeric.HalfPrecision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;

/** Element types a converted model can be written in. Narrowing rounds to nearest, ties to even. */
public enum OutputDType {
    FLOAT32("F32", "float32", 4),
    FLOAT16("F16", "float16", 2),
    BFLOAT16("BF16", "bfloat16", 2);

    private final String safetensorsName;
    private final String torchName;
    private final int size;

    OutputDType(String safetensorsName, String torchName, int size) {
        this.safetensorsName = safetensorsName;
        this.torchName = torchName;
        this.size = size;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    /** The name transformers uses in {@code config.json} ({@code dtype}/{@code torch_dtype}). */
    public String torchName() {
        return torchName;
    }

    public int size() {
        return size;
    }

    public static OutputDType parse(String name) {
        for (OutputDType d : values()) {
            if (d.torchName.equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "' (expected float32, float16 or bfloat16)");
    }

    /** The values of a float32 LE buffer in this type, little-endian. */
    public ByteBuffer encode(ByteBuffer float32) {
        if (this == FLOAT32) {
            return float32.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }
        FloatBuffer in = float32.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            float v = in.get();
            out.putShort(this == FLOAT16 ? HalfPrecision.floatToFloat16(v) : HalfPrecision.floatToBfloat16(v));
        }
        return out.flip();
    }
}
