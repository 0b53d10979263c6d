package io.electraconvert.hf.io;

import io.electraconvert.tensor.DType;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Where one output tensor's float32 little-endian bytes come from: a checkpoint variable, transposed if it is a TF
 * kernel ({@code [in, out]} to PyTorch's {@code [out, in]}).
 */
public record TensorSource(TensorInfo info, boolean transpose) {
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

    /**
     * The variable widened or narrowed to float32 by the reader (which verifies its checksum) and, for a TF kernel,
     * transposed to PyTorch's {@code [out, in]}, into {@code dst} from index 0.
     */
    void decodeInto(TfCheckpoint checkpoint, KernelTransposer transposer, FloatBuffer dst) {
        float[] values = checkpoint.readFloats(info.name());
        if (transpose) {
            transposer.transpose(FloatBuffer.wrap(values), rows(), cols(), dst);
        } else {
            dst.put(0, values);
        }
    }

    /** HF-orientation float32 LE bytes of the variable, whole. */
    public ByteBuffer float32(TfCheckpoint checkpoint) {
        if (copiesAsStored()) {
            return checkpoint.readBytes(info); // stored bytes are already what safetensors wants
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(outputBytes())).order(ByteOrder.LITTLE_ENDIAN);
        decodeInto(checkpoint, new KernelTransposer(), bytes.asFloatBuffer());
        return bytes;
    }
}
