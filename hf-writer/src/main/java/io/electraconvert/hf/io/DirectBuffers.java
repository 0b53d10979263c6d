package io.electraconvert.hf.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Aligned direct buffers for the conversion's read-ahead slabs and direct-I/O staging. The JVM caps direct memory
 * (by default at the heap limit); running out is reported as an {@link IOException} that names the cure, since it
 * is a limit the user set, not an internal error.
 */
public final class DirectBuffers {
    private DirectBuffers() {}

    /** A little-endian direct buffer of at least {@code bytes} bytes whose address is a multiple of {@code alignment}. */
    public static ByteBuffer allocateAligned(int bytes, int alignment) throws IOException {
        long rounded = ((long) bytes + alignment - 1) / alignment * alignment;
        try {
            return ByteBuffer.allocateDirect(Math.toIntExact(rounded + alignment)).alignedSlice(alignment).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new IOException("not enough direct memory for the conversion's " + Math.max(1, bytes >> 20)
                    + " MiB buffers (" + e.getMessage() + "); give the JVM more with -Xmx or -XX:MaxDirectMemorySize", e);
        }
    }
}
