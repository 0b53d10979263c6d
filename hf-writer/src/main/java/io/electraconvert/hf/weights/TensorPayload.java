package io.electraconvert.hf.weights;

import java.nio.ByteBuffer;

/**
 * Produces a tensor's values when a writer needs them, so a conversion holds at most a tensor or two at a time.
 * The buffer holds float32 little-endian values in row-major order, in HuggingFace (PyTorch) orientation.
 */
@FunctionalInterface
public interface TensorPayload {
    ByteBuffer float32LittleEndian();
}
