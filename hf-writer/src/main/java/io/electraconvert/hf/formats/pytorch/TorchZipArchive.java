package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.files.InputFiles;
import io.electraconvert.error.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The zip container of a torch.save file, read from its central directory with every offset and size checked
 * against the file. Only STORED records are accepted (torch.save never compresses); names are relative to the
 * archive folder, which torch takes from the first entry.
 */
final class TorchZipArchive {
    private static final long U32_MAX = 0xFFFFFFFFL;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    /** The central directory of a state dict is a few hundred bytes per tensor; this bounds a corrupt size field. */
    private static final long MAX_CENTRAL_DIRECTORY = 1L << 28;

    /** One STORED record: where its bytes are and their CRC-32. */
    record Record(String name, long crc, long size, long dataOffset) {}

    private final Path file;
    private final FileChannel channel;
    private final String archiveName;
    private final Map<String, Record> records;

    private TorchZipArchive(Path file, FileChannel channel, String archiveName, Map<String, Record> records) {
        this.file = file;
        this.channel = channel;
        this.archiveName = archiveName;
        this.records = records;
    }

    static TorchZipArchive read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < EOCD_SIZE) {
            throw fail(file, "truncated or not a zip archive: " + size + " bytes, no end of central directory record");
        }
        int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
        ByteBuffer tail = InputFiles.readAt(file, channel, size - tailLength, tailLength);
        int eocd = -1;
        for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == 0x06054b50 && i + EOCD_SIZE + (tail.getShort(i + 20) & 0xffff) <= tailLength) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            if (startsWithLocalHeader(file, channel)) {
                throw fail(file, "truncated zip archive: no end of central directory record (file cut short?)");
            }
            throw fail(file, "not a torch.save zip archive (no end of central directory record)");
        }
        long eocdPosition = size - tailLength + eocd;
        long entries = tail.getShort(eocd + 10) & 0xffff;
        long cdSize = tail.getInt(eocd + 12) & U32_MAX;
        long cdOffset = tail.getInt(eocd + 16) & U32_MAX;
        long cdLimit = eocdPosition;
        if (eocdPosition >= 20 && InputFiles.readAt(file, channel, eocdPosition - 20, 4).getInt(0) == 0x07064b50) {
            ByteBuffer locator = InputFiles.readAt(file, channel, eocdPosition - 20, 20);
            long zip64Position = locator.getLong(8);
            if (zip64Position < 0 || zip64Position > eocdPosition - 20 - 56) {
                throw fail(file, "corrupt zip64 locator: end record offset " + zip64Position + " outside the file");
            }
            ByteBuffer z = InputFiles.readAt(file, channel, zip64Position, 56);
            if (z.getInt(0) != 0x06064b50) {
                throw fail(file, "corrupt zip64 end of central directory record at byte " + zip64Position);
            }
            entries = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
            cdLimit = zip64Position;
        } else if (entries == 0xFFFF || cdSize == U32_MAX || cdOffset == U32_MAX) {
            throw fail(file, "corrupt zip archive: zip64 sizes without a zip64 locator");
        }
        // zip64 fields are 64-bit: compared without adding them, so a huge one cannot wrap to a small sum
        if (cdOffset < 0 || cdSize < 0 || cdSize > MAX_CENTRAL_DIRECTORY || cdOffset > cdLimit - cdSize) {
            throw fail(file, "corrupt or truncated zip archive: central directory [" + cdOffset + ", +" + cdSize
                    + ") does not fit before byte " + cdLimit);
        }
        if (entries < 0 || entries > cdSize / 46) {
            throw fail(file, "corrupt zip archive: " + entries + " entries cannot fit in a " + cdSize + "-byte central directory");
        }
        if (entries == 0) {
            throw fail(file, "archive does not contain any files");
        }
        ByteBuffer cd = InputFiles.readAt(file, channel, cdOffset, (int) cdSize);
        Map<String, Record> records = new LinkedHashMap<>();
        String archiveName = null;
        int p = 0;
        for (long i = 0; i < entries; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != 0x02014b50) {
                throw fail(file, "corrupt zip central directory: entry " + i + " at byte " + (cdOffset + p) + " is not a file header");
            }
            int flags = cd.getShort(p + 8) & 0xffff;
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & U32_MAX;
            long compressed = cd.getInt(p + 20) & U32_MAX;
            long uncompressed = cd.getInt(p + 24) & U32_MAX;
            int nameLength = cd.getShort(p + 28) & 0xffff;
            int extraLength = cd.getShort(p + 30) & 0xffff;
            int commentLength = cd.getShort(p + 32) & 0xffff;
            long localOffset = cd.getInt(p + 42) & U32_MAX;
            int end = p + 46 + nameLength + extraLength + commentLength;
            if (end > cd.limit()) {
                throw fail(file, "corrupt zip central directory: entry " + i + " runs past its end");
            }
            byte[] nameBytes = new byte[nameLength];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // zip64 extended information: present fields follow the order usize, csize, offset
            int e = p + 46 + nameLength;
            int extraEnd = e + extraLength;
            while (e + 4 <= extraEnd) {
                int id = cd.getShort(e) & 0xffff;
                int len = cd.getShort(e + 2) & 0xffff;
                if (e + 4 + len > extraEnd) {
                    throw fail(file, "corrupt zip extra field in entry '" + name + "'");
                }
                if (id == 0x0001) {
                    int q = e + 4;
                    if (uncompressed == U32_MAX) {
                        uncompressed = zip64Field(file, cd, q, e + 4 + len, name);
                        q += 8;
                    }
                    if (compressed == U32_MAX) {
                        compressed = zip64Field(file, cd, q, e + 4 + len, name);
                        q += 8;
                    }
                    if (localOffset == U32_MAX) {
                        localOffset = zip64Field(file, cd, q, e + 4 + len, name);
                    }
                }
                e += 4 + len;
            }
            p = end;
            if (archiveName == null) {
                int slash = name.indexOf('/');
                if (slash < 0) {
                    throw fail(file, "not a torch.save archive: file in archive is not in a subdirectory: " + name);
                }
                archiveName = name.substring(0, slash);
            }
            String prefix = archiveName + "/";
            if (!name.startsWith(prefix)) {
                continue; // torch looks records up under the archive folder only
            }
            String relative = name.substring(prefix.length());
            if ((flags & 0x0001) != 0) {
                throw fail(file, "record '" + relative + "' is encrypted");
            }
            if (method != 0) {
                throw fail(file, "record '" + relative + "' is compressed (zip method " + method
                        + "); torch.save writes uncompressed (STORED) records only");
            }
            if (compressed != uncompressed) {
                throw fail(file, "corrupt zip entry '" + relative + "': STORED with compressed size " + compressed
                        + " != size " + uncompressed);
            }
            if (localOffset < 0 || uncompressed < 0 || localOffset + 30 > cdOffset) {
                throw fail(file, "corrupt zip entry '" + relative + "': local header at byte " + localOffset
                        + " outside the data area");
            }
            ByteBuffer local = InputFiles.readAt(file, channel, localOffset, 30);
            if (local.getInt(0) != 0x04034b50) {
                throw fail(file, "corrupt zip entry '" + relative + "': no local header at byte " + localOffset);
            }
            long dataOffset = localOffset + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
            if (dataOffset + uncompressed > cdOffset || dataOffset + uncompressed < 0) {
                throw fail(file, "corrupt or truncated zip entry '" + relative + "': " + uncompressed + " bytes at byte "
                        + dataOffset + " overlap the central directory at byte " + cdOffset);
            }
            if (records.put(relative, new Record(relative, crc, uncompressed, dataOffset)) != null) {
                throw fail(file, "zip archive has two records named '" + relative + "'");
            }
        }
        return new TorchZipArchive(file, channel, archiveName, Collections.unmodifiableMap(records));
    }

    private static boolean startsWithLocalHeader(Path file, FileChannel channel) throws IOException {
        return channel.size() >= 4 && InputFiles.readAt(file, channel, 0, 4).getInt(0) == 0x04034b50;
    }

    private static long zip64Field(Path file, ByteBuffer cd, int at, int end, String name) {
        if (at + 8 > end) {
            throw fail(file, "corrupt zip64 extra field in entry '" + name + "'");
        }
        return cd.getLong(at);
    }

    String archiveName() {
        return archiveName;
    }

    Map<String, Record> records() {
        return records;
    }

    Record record(String name) {
        return records.get(name);
    }

    /** A whole record, its CRC-32 checked. */
    byte[] readRecord(Record r, long maxSize) throws IOException {
        if (r.size() > maxSize) {
            throw fail(file, "record '" + r.name() + "' is " + r.size() + " bytes, more than the " + maxSize + " allowed");
        }
        ByteBuffer data = InputFiles.readAt(file, channel, r.dataOffset(), (int) r.size());
        checkCrc(r, data);
        return data.array();
    }

    void checkCrc(Record r, ByteBuffer wholeRecord) {
        CRC32 crc = new CRC32();
        crc.update(wholeRecord.duplicate().rewind());
        if (crc.getValue() != r.crc()) {
            throw fail(file, String.format(Locale.ROOT, "CRC-32 mismatch in record '%s': stored %08x, computed %08x (corrupt file)",
                    r.name(), r.crc(), crc.getValue()));
        }
    }

    /** {@code length} bytes of a record from {@code offset} (within it). */
    ByteBuffer readRange(Record r, long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > r.size()) {
            throw fail(file, "read of [" + offset + ", +" + length + ") outside record '" + r.name() + "' of " + r.size() + " bytes");
        }
        return InputFiles.readAt(file, channel, r.dataOffset() + offset, length);
    }

    private static BadInputException fail(Path file, String message) {
        return new BadInputException(file, message);
    }
}
