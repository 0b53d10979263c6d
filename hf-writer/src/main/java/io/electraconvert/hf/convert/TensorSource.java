package io.electraconvert.hf.convert;

import io.electraconvert.tensor.DType;
import io.electraconvert.tfreader.TensorInfo;

/**
 * Where one output tensor's float32 little-endian bytes come from: a checkpoint variable, transposed if it is a TF
 * kernel ({@code [in, out]} to PyTorch's {@code [out, in]}).
 */
record TensorSource(TensorInfo info, boolean transpose) {
    /** Output bytes: float32 whatever the stored dtype. */
    long outputBytes() {
        return Math.multiplyExact(info.numElements(), 4L);
    }

    /**
     * Whether the stored bytes are already the output bytes (float32, not transposed), so any part can be copied
     * on its own; otherwise the tensor is produced whole (transposed and/or decoded from another dtype).
     */
    boolean copiesAsStored() {
        return !transpose && storedAsFloat32();
    }

    boolean storedAsFloat32() {
        return info.knownDtype().orElse(null) == DType.FLOAT32;
    }

    int rows() {
        return Math.toIntExact(info.shape()[0]);
    }

    int cols() {
        return Math.toIntExact(info.shape()[1]);
    }
}
