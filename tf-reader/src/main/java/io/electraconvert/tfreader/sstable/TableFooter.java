package io.electraconvert.tfreader.sstable;

import io.electraconvert.error.BadInputException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The fixed 48 bytes that end every table: metaindex handle, index handle, zero padding to 40 bytes, then the
 * magic number as two fixed32 LE words ({@code format.h}: {@code Footer::kEncodedLength}).
 */
public record TableFooter(BlockHandle metaindex, BlockHandle index) {
    public static final int ENCODED_LENGTH = 48;
    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;

    static TableFooter decode(Path file, ByteBuffer footerBytes, long fileOffset) {
        ByteCursor cursor = new ByteCursor(file, footerBytes, fileOffset, "table footer");
        cursor.seek(40);
        long magicLow = cursor.fixed32() & 0xffffffffL;  // uint32 magic (low word)
        long magicHigh = cursor.fixed32() & 0xffffffffL; // uint32 magic (high word)
        long magic = (magicHigh << 32) | magicLow;
        if (magic != TABLE_MAGIC) {
            throw new BadInputException(file, String.format(Locale.ROOT,
                    "not a TensorFlow checkpoint index (table magic %016x, expected %016x); truncated or not an .index file",
                    magic, TABLE_MAGIC));
        }
        cursor.seek(0);
        BlockHandle metaindex = BlockHandle.decode(cursor);
        BlockHandle index = BlockHandle.decode(cursor);
        return new TableFooter(metaindex, index);
    }
}
