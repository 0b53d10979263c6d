package io.electraconvert.hf.pytorch;

import io.electraconvert.hf.weights.OutputDType;
import java.util.Optional;

/** The element types of torch's legacy typed storages, as named by the {@code torch.<X>Storage} pickle globals. */
public enum TorchDType {
    FLOAT64("DoubleStorage", "float64", 8),
    FLOAT32("FloatStorage", "float32", 4),
    FLOAT16("HalfStorage", "float16", 2),
    BFLOAT16("BFloat16Storage", "bfloat16", 2),
    INT64("LongStorage", "int64", 8),
    INT32("IntStorage", "int32", 4),
    INT16("ShortStorage", "int16", 2),
    INT8("CharStorage", "int8", 1),
    UINT8("ByteStorage", "uint8", 1),
    BOOL("BoolStorage", "bool", 1),
    COMPLEX64("ComplexFloatStorage", "complex64", 8),
    COMPLEX128("ComplexDoubleStorage", "complex128", 16);

    private final String storageClass;
    private final String torchName;
    private final int size;

    TorchDType(String storageClass, String torchName, int size) {
        this.storageClass = storageClass;
        this.torchName = torchName;
        this.size = size;
    }

    /** The class name in {@code torch}, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    /** e.g. {@code float32}, as in {@code torch.float32}. */
    public String torchName() {
        return torchName;
    }

    public int size() {
        return size;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT64 || this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
    }

    public static Optional<TorchDType> ofStorageClass(String name) {
        for (TorchDType d : values()) {
            if (d.storageClass.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static TorchDType of(OutputDType dtype) {
        return switch (dtype) {
            case FLOAT32 -> FLOAT32;
            case FLOAT16 -> FLOAT16;
            case BFLOAT16 -> BFLOAT16;
        };
    }
}
