package io.electraconvert.tfreader;

import java.util.Optional;

/**
 * TensorFlow's {@code DataType} enum ({@code tensorflow/core/framework/types.proto}) for the types a
 * checkpoint reader meets. {@link #elementSize()} is 0 for variable-length types.
 */
public enum TfDType {
    FLOAT(1, 4, "float32"),
    DOUBLE(2, 8, "float64"),
    INT32(3, 4, "int32"),
    UINT8(4, 1, "uint8"),
    INT16(5, 2, "int16"),
    INT8(6, 1, "int8"),
    STRING(7, 0, "string"),
    INT64(9, 8, "int64"),
    BOOL(10, 1, "bool"),
    BFLOAT16(14, 2, "bfloat16"),
    UINT16(17, 2, "uint16"),
    HALF(19, 2, "float16"),
    UINT32(22, 4, "uint32"),
    UINT64(23, 8, "uint64");

    private final int code;
    private final int elementSize;
    private final String displayName;

    TfDType(int code, int elementSize, String displayName) {
        this.code = code;
        this.elementSize = elementSize;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    /** Bytes per element on disk, or 0 for {@link #STRING}. */
    public int elementSize() {
        return elementSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE || this == HALF || this == BFLOAT16;
    }

    public static Optional<TfDType> fromCode(int code) {
        for (TfDType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
