package io.electraconvert.hf.safetensors;

import java.util.Optional;

/**
 * The dtype strings of the safetensors format with their widths in bits, all that safetensors 0.8 accepts
 * ({@code safetensors/src/tensor.rs} {@code Dtype}, {@code bitsize}): a file with MX sub-byte floats is as valid as one
 * with F32, though only the floating-point types of 16 bits and more can be read as values here.
 */
public enum SafetensorsDType {
    BOOL(8), F4(4), F6_E2M3(6), F6_E3M2(6), U8(8), I8(8), F8_E5M2(8), F8_E4M3(8), F8_E8M0(8), F8_E4M3FNUZ(8),
    F8_E5M2FNUZ(8), I16(16), U16(16), F16(16), BF16(16), I32(32), U32(32), F32(32), C64(64), F64(64), I64(64), U64(64);

    private final int bits;

    SafetensorsDType(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
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
