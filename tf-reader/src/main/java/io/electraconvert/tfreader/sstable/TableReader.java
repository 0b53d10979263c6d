package io.electraconvert.tfreader.sstable;

import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.error.ChecksumException;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a whole LevelDB-format table, the {@code .index} file of a tensor bundle: footer, then the index block,
 * then every data block it points to, each verified against its block trailer. Index files are small (one
 * entry per tensor), so the table is read into memory once.
 */
public final class TableReader {
    private static final int BLOCK_TRAILER_SIZE = 5; // 1 byte compression type + fixed32 masked crc
    private static final int NO_COMPRESSION = 0;
    private static final int SNAPPY_COMPRESSION = 1;
    /** An index holds one short entry per tensor: ELECTRA-large's is 60 kB, a 100,000-tensor model's about 10 MB. */
    static final long MAX_INDEX_BYTES = 256L << 20;

    private final Path file;
    private final ByteBuffer table;

    private TableReader(Path file, ByteBuffer table) {
        this.file = file;
        this.table = table;
    }

    /** All entries of the table in key order. */
    public static List<TableEntry> readAll(Path file) {
        return new TableReader(file, readFile(file)).entries();
    }

    private static ByteBuffer readFile(Path file) {
        return ByteBuffer.wrap(InputFiles.readAllBytes(file, "index file", MAX_INDEX_BYTES));
    }

    private List<TableEntry> entries() {
        if (table.limit() < TableFooter.ENCODED_LENGTH) {
            throw new BadInputException(file, "truncated index: " + table.limit()
                    + " bytes is shorter than the 48-byte table footer");
        }
        int footerOffset = table.limit() - TableFooter.ENCODED_LENGTH;
        TableFooter footer = TableFooter.decode(file, table.duplicate().position(footerOffset), footerOffset);
        List<TableEntry> indexEntries = Block.decode(file, readBlock(footer.index(), "index block"),
                footer.index().offset(), "index block", 0, maxKeyBytes(table.limit()));
        List<TableEntry> result = new ArrayList<>();
        long maxKeyBytes = maxKeyBytes(table.limit());
        long keyBytes = 0;
        long previousBlockEnd = 0;
        for (TableEntry indexEntry : indexEntries) {
            ByteCursor handleCursor = new ByteCursor(file, indexEntry.value(), footer.index().offset(), "index block");
            BlockHandle handle = BlockHandle.decode(handleCursor);
            // TableBuilder writes data blocks one after another; an index that points back (at an earlier block,
            // at itself, or many times at one block) would make decoding cost grow with the square of the file
            if (Long.compareUnsigned(handle.offset(), previousBlockEnd) < 0) {
                throw new BadInputException(file, String.format(Locale.ROOT,
                        "corrupt index block: data block at byte 0x%x overlaps the previous block (ends at 0x%x)",
                        handle.offset(), previousBlockEnd));
            }
            List<TableEntry> blockEntries = Block.decode(file, readBlock(handle, "data block"), handle.offset(), "data block", keyBytes, maxKeyBytes);
            previousBlockEnd = handle.offset() + handle.size() + BLOCK_TRAILER_SIZE; // in bounds: readBlock checked it
            for (TableEntry e : blockEntries) {
                keyBytes += e.key().length;
            }
            if (!result.isEmpty() && !blockEntries.isEmpty() && Arrays.compareUnsigned(
                    result.get(result.size() - 1).key(), blockEntries.get(0).key()) >= 0) {
                throw new BadInputException(file, String.format(Locale.ROOT,
                        "corrupt data block at byte 0x%x: keys overlap the previous block", handle.offset()));
            }
            result.addAll(blockEntries);
        }
        return result;
    }

    /**
     * Total key bytes a table of {@code tableBytes} may decode to: keys are stored prefix-compressed, so legitimate
     * tables expand (tensor names share long scope prefixes), but by a small factor, never quadratically.
     */
    static long maxKeyBytes(long tableBytes) {
        return 8 * tableBytes + (1 << 20);
    }

    /** The block's contents after checking bounds, the trailer's compression type and its masked CRC. */
    private ByteBuffer readBlock(BlockHandle handle, String what) {
        // compared without adding: offset and size are untrusted uint64s whose sum may wrap
        long blocksEnd = table.limit() - TableFooter.ENCODED_LENGTH;
        if (handle.offset() < 0 || handle.size() < 0 || handle.offset() > blocksEnd
                || handle.size() > blocksEnd - handle.offset() - BLOCK_TRAILER_SIZE) {
            throw new BadInputException(file, String.format(Locale.ROOT,
                    "corrupt or truncated index: %s at byte 0x%x of %d bytes lies outside the file (%d bytes)",
                    what, handle.offset(), handle.size(), table.limit()));
        }
        int offset = (int) handle.offset();
        int size = (int) handle.size();
        ByteBuffer contents = table.duplicate().position(offset).limit(offset + size).slice();
        ByteBuffer trailer = table.duplicate().position(offset + size).limit(offset + size + BLOCK_TRAILER_SIZE)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        int compression = trailer.get(0) & 0xff;
        int storedMaskedCrc = trailer.getInt(1);
        int actual = MaskedCrc32c.crc(table.duplicate().position(offset).limit(offset + size + 1));
        int expected = MaskedCrc32c.unmask(storedMaskedCrc);
        if (actual != expected) {
            throw new ChecksumException(file, String.format(Locale.ROOT, "%s at byte 0x%x", what, offset), expected, actual);
        }
        if (compression == SNAPPY_COMPRESSION) {
            throw new UnsupportedInputException(file, String.format(Locale.ROOT,
                    "%s at byte 0x%x is Snappy-compressed; TensorFlow's bundle writer never compresses, so this reader does not either",
                    what, offset));
        }
        if (compression != NO_COMPRESSION) {
            throw new BadInputException(file, String.format(Locale.ROOT,
                    "corrupt %s at byte 0x%x: unknown compression type %d", what, offset, compression));
        }
        return contents;
    }
}
