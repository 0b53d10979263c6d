package io.electraconvert.hf.weights;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Produces a tensor's values when a writer needs them, so a conversion holds a bounded few at a time, whatever the
 * model's size.
 * The buffer holds float32 little-endian values in row-major order, in HuggingFace (PyTorch) orientation.
 */
@FunctionalInterface
public interface TensorPayload {
    /** The whole tensor at once. */
    ByteBuffer float32LittleEndian();

    /**
     * The tensor in order, possibly in several chunks (each a whole number of floats), so writers need not hold a
     * large tensor in memory. A source checksum failure may be thrown after the last chunk.
     */
    default void stream(ChunkSink sink) throws IOException {
        sink.accept(float32LittleEndian());
    }

    /** Receives float32 LE chunks. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }
}
