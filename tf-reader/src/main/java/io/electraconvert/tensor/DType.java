package io.electraconvert.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Optional;

/**
 * An element type, as every format the toolkit reads or writes names it: TensorFlow's {@code DataType} number
 * ({@code types.proto}), the safetensors dtype string ({@code safetensors/src/tensor.rs}), torch's legacy storage
 * class ({@code torch.FloatStorage}) and dtype name ({@code float32}), and the width in bits. A format without a
 * name for a type has null there. The floating-point types of 16 bits and more decode to float32 here; float32,
 * float16 and bfloat16 are also what a conversion writes (narrowing rounds to nearest, ties to even).
 */
public enum DType {
    BOOL("BOOL", "BoolStorage", "bool", 10, 8),
    UINT8("U8", "ByteStorage", "uint8", 4, 8),
    INT8("I8", "CharStorage", "int8", 6, 8),
    INT16("I16", "ShortStorage", "int16", 5, 16),
    UINT16("U16", null, "uint16", 17, 16),
    INT32("I32", "IntStorage", "int32", 3, 32),
    UINT32("U32", null, "uint32", 22, 32),
    INT64("I64", "LongStorage", "int64", 9, 64),
    UINT64("U64", null, "uint64", 23, 64),
    FLOAT16("F16", "HalfStorage", "float16", 19, 16),
    BFLOAT16("BF16", "BFloat16Storage", "bfloat16", 14, 16),
    FLOAT32("F32", "FloatStorage", "float32", 1, 32),
    FLOAT64("F64", "DoubleStorage", "float64", 2, 64),
    COMPLEX64("C64", "ComplexFloatStorage", "complex64", 8, 64),
    COMPLEX128(null, "ComplexDoubleStorage", "complex128", 18, 128),
    /** Variable-length: no fixed width. */
    STRING(null, null, "string", 7, 0),
    // the MX and float8 types safetensors 0.8 accepts; valid in a file, never decoded here
    FLOAT4_E2M1("F4", null, "float4_e2m1fn_x2", 0, 4),
    FLOAT6_E2M3("F6_E2M3", null, "float6_e2m3fn", 0, 6),
    FLOAT6_E3M2("F6_E3M2", null, "float6_e3m2fn", 0, 6),
    FLOAT8_E5M2("F8_E5M2", null, "float8_e5m2", 0, 8),
    FLOAT8_E4M3("F8_E4M3", null, "float8_e4m3fn", 0, 8),
    FLOAT8_E8M0("F8_E8M0", null, "float8_e8m0fnu", 0, 8),
    FLOAT8_E4M3FNUZ("F8_E4M3FNUZ", null, "float8_e4m3fnuz", 0, 8),
    FLOAT8_E5M2FNUZ("F8_E5M2FNUZ", null, "float8_e5m2fnuz", 0, 8);

    private final String safetensorsName;
    private final String torchStorage;
    private final String torchName;
    private final int tfCode;
    private final int bits;

    DType(String safetensorsName, String torchStorage, String torchName, int tfCode, int bits) {
        this.safetensorsName = safetensorsName;
        this.torchStorage = torchStorage;
        this.torchName = torchName;
        this.tfCode = tfCode;
        this.bits = bits;
    }

    /** e.g. {@code F32}; null where safetensors has no such type. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** e.g. {@code FloatStorage}, the {@code torch.<X>Storage} a pickled state dict names; null where torch has none. */
    public String torchStorage() {
        return torchStorage;
    }

    /** e.g. {@code float32}, as in {@code torch.float32} and a config's {@code dtype}. */
    public String torchName() {
        return torchName;
    }

    /** TensorFlow's {@code DataType} number, 0 where TensorFlow has none here. */
    public int tfCode() {
        return tfCode;
    }

    public int bits() {
        return bits;
    }

    /** Bytes per element; 0 for {@link #STRING} and the sub-byte types. */
    public int byteSize() {
        return bits % 8 == 0 ? bits / 8 : 0;
    }

    /** Whether values decode to float32 here (float16, bfloat16, float32, float64). */
    public boolean isFloatingPoint() {
        return this == FLOAT16 || this == BFLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /** Whether a conversion can write this type (float32, float16, bfloat16). */
    public boolean isOutputType() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
    }

    public static Optional<DType> ofTfCode(int code) {
        for (DType d : values()) {
            if (d.tfCode == code && code != 0) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static Optional<DType> ofSafetensorsName(String name) {
        for (DType d : values()) {
            if (name.equals(d.safetensorsName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static Optional<DType> ofTorchStorage(String storageClass) {
        for (DType d : values()) {
            if (storageClass.equals(d.torchStorage)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** An output type by its torch name ({@code float32}, {@code float16}, {@code bfloat16}), any case. */
    public static DType parseOutput(String name) {
        for (DType d : values()) {
            if (d.isOutputType() && d.torchName.equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "' (expected float32, float16 or bfloat16)");
    }

    /** The first {@code count} values of a little-endian buffer (from its position) as float32. */
    public float[] decode(ByteBuffer littleEndian, int count) {
        float[] out = new float[count];
        decodeInto(littleEndian, count, out, 0);
        return out;
    }

    /** As {@link #decode}, into {@code out} from {@code offset} (for a tensor read in chunks). */
    public void decodeInto(ByteBuffer littleEndian, int count, float[] out, int offset) {
        ByteBuffer b = littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        switch (this) {
            case FLOAT32 -> b.asFloatBuffer().get(out, offset, count);
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) b.getDouble(base + 8 * i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = HalfPrecision.float16ToFloat(b.getShort(base + 2 * i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = HalfPrecision.bfloat16ToFloat(b.getShort(base + 2 * i));
                }
            }
            default -> throw new IllegalArgumentException(this + " is not a floating-point type");
        }
    }

    /** The values of a float32 little-endian buffer in this output type, little-endian. */
    public ByteBuffer encode(ByteBuffer float32) {
        if (this == FLOAT32) {
            return float32.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }
        FloatBuffer in = float32.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putShort(narrow(in.get()));
        }
        return out.flip();
    }

    /** One float32 value narrowed to this 16-bit output type. */
    public short narrow(float value) {
        return switch (this) {
            case FLOAT16 -> HalfPrecision.floatToFloat16(value);
            case BFLOAT16 -> HalfPrecision.floatToBfloat16(value);
            default -> throw new IllegalArgumentException(this + " is not a 16-bit output type");
        };
    }

    @Override
    public String toString() {
        return torchName;
    }
}
