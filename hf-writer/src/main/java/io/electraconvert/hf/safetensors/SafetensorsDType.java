package io.electraconvert.hf.safetensors;

import java.util.Optional;

/** The dtype strings of the safetensors format ({@code safetensors/src/tensor.rs} {@code Dtype}) with byte sizes. */
public enum SafetensorsDType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int size;

    SafetensorsDType(int size) {
        this.size = size;
    }

    public int size() {
        return size;
    }

    public static Optional<SafetensorsDType> of(String name) {
        for (SafetensorsDType d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
