package io.electraconvert.tfreader.sstable;

import io.electraconvert.error.BadInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A bounds-checked reader over one region of a file. Every read checks the remaining length first, so a
 * corrupt length or count becomes a {@link BadInputException} naming the file and the file offset,
 * never an index error or a huge allocation.
 */
public final class ByteCursor {
    private final Path file;
    private final ByteBuffer buffer;
    private final long fileOffset;
    private final String region;

    /** @param fileOffset where {@code buffer}'s index 0 sits in the file, for messages. */
    public ByteCursor(Path file, ByteBuffer buffer, long fileOffset, String region) {
        this.file = file;
        this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.fileOffset = fileOffset;
        this.region = region;
    }

    public int remaining() {
        return buffer.remaining();
    }

    public boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    public int u8() {
        require(1, "byte");
        return buffer.get() & 0xff;
    }

    /** fixed32, little-endian. */
    public int fixed32() {
        require(4, "fixed32");
        return buffer.getInt();
    }

    /** LevelDB varint32: at most 5 bytes, value must fit in 32 bits. */
    public int varint32() {
        long value = varint(5, "varint32");
        if (value > 0xffffffffL) {
            throw corrupt("varint32 overflows 32 bits");
        }
        return (int) value;
    }

    /** LevelDB varint64: at most 10 bytes. */
    public long varint64() {
        return varint(10, "varint64");
    }

    private long varint(int maxBytes, String what) {
        long result = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = u8();
            result |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw corrupt(what + " longer than " + maxBytes + " bytes");
    }

    /** The next {@code length} bytes as a view, advancing past them. */
    public ByteBuffer bytes(long length, String what) {
        if (length < 0 || length > buffer.remaining()) {
            throw corrupt(what + " of " + Long.toUnsignedString(length) + " bytes runs past the end of the "
                    + region + " (" + buffer.remaining() + " bytes left)");
        }
        ByteBuffer view = buffer.slice().limit((int) length);
        buffer.position(buffer.position() + (int) length);
        return view;
    }

    public void seek(int position) {
        if (position < 0 || position > buffer.limit()) {
            throw corrupt("offset " + position + " is outside the " + region + " of " + buffer.limit() + " bytes");
        }
        buffer.position(position);
    }

    private void require(int n, String what) {
        if (buffer.remaining() < n) {
            throw corrupt("truncated " + what);
        }
    }

    public BadInputException corrupt(String problem) {
        return new BadInputException(file, String.format(Locale.ROOT, "corrupt %s at byte 0x%x: %s",
                region, fileOffset + buffer.position(), problem));
    }
}
