package io.electraconvert.hf.formats.pytorch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip archive the way torch's {@code PyTorchStreamWriter} (miniz, {@code MZ_ZIP_FLAG_WRITE_ZIP64}) does:
 * every record STORED under {@code <archive>/}, DOS time/date 0, general-purpose flags 0x0808 (data descriptor,
 * UTF-8; 0x0800 for empty records, which get no descriptor), local header CRC and sizes 0 followed by the payload
 * and a 16-byte data descriptor (24 bytes with zip64 sizes), each payload starting at a multiple of 64 thanks to an
 * {@code "FB"} local extra field filled with {@code 'Z'}. The zip64 end-of-central-directory record and locator are
 * always written; per-entry zip64 extra fields only when a size or offset reaches 0xFFFFFFFF.
 *
 * <p>Records are streamed: {@link #beginRecord} with the size known up front, {@link #write} the bytes, {@link
 * #endRecord}, so a payload is never held in full by this class.
 */
final class TorchZipWriter {
    static final int ALIGNMENT = 64;
    private static final long U32_MAX = 0xFFFFFFFFL;
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int EOCD = 0x06054b50;
    private static final int FLAG_DESCRIPTOR = 0x0008;
    private static final int FLAG_UTF8 = 0x0800;

    private record CentralEntry(byte[] name, int flags, long crc, long size, long localOffset) {}

    private final WritableByteChannel out;
    private final String prefix;
    private final List<CentralEntry> central = new ArrayList<>();
    private final CRC32 crc = new CRC32();
    private long position;
    private long combinedCrc;

    private byte[] currentName;
    private long currentSize;
    private long currentWritten;
    private long currentOffset;
    private boolean currentZip64;

    TorchZipWriter(WritableByteChannel out, String archiveName) {
        this.out = out;
        this.prefix = archiveName + "/";
    }

    /** c10::hash_combine over the CRC-32 of every record with a data descriptor, as torch's serialization id uses. */
    long combinedCrc() {
        return combinedCrc;
    }

    void writeRecord(String name, byte[] data) throws IOException {
        beginRecord(name, data.length);
        write(ByteBuffer.wrap(data));
        endRecord();
    }

    void beginRecord(String name, long size) throws IOException {
        if (currentName != null) {
            throw new IllegalStateException("record " + new String(currentName, StandardCharsets.UTF_8) + " not ended");
        }
        byte[] fullName = (prefix + name).getBytes(StandardCharsets.UTF_8);
        long offset = position;
        boolean zip64Size = size >= U32_MAX;
        boolean zip64Offset = offset >= U32_MAX;
        byte[] zip64Extra = zip64Extra(zip64Size, zip64Offset, size, offset);
        // getPadding() in caffe2/serialize/inline_container.cc
        long start = offset + 30 + fullName.length + 4 + zip64Extra.length;
        int padding = (int) ((ALIGNMENT - start % ALIGNMENT) % ALIGNMENT);
        int flags = size > 0 ? FLAG_UTF8 | FLAG_DESCRIPTOR : FLAG_UTF8;

        ByteBuffer h = le(30 + fullName.length + zip64Extra.length + 4 + padding);
        h.putInt(LOCAL_HEADER);
        h.putShort((short) 0); // version needed: miniz writes 0 for STORED
        h.putShort((short) flags);
        h.putShort((short) 0); // method: STORED
        h.putShort((short) 0); // time
        h.putShort((short) 0); // date
        h.putInt(0); // crc: in the data descriptor
        h.putInt(0); // compressed size
        h.putInt(0); // uncompressed size
        h.putShort((short) fullName.length);
        h.putShort((short) (zip64Extra.length + 4 + padding));
        h.put(fullName);
        h.put(zip64Extra);
        h.put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) {
            h.put((byte) 'Z');
        }
        writeFully(h.flip());
        if (position % ALIGNMENT != 0) {
            throw new IllegalStateException("payload of " + name + " not aligned: " + position);
        }
        currentName = fullName;
        currentSize = size;
        currentWritten = 0;
        currentOffset = offset;
        currentZip64 = zip64Size || zip64Offset;
        crc.reset();
    }

    void write(ByteBuffer data) throws IOException {
        if (currentName == null) {
            throw new IllegalStateException("no record begun");
        }
        long n = data.remaining();
        if (currentWritten + n > currentSize) {
            throw new IllegalStateException("record " + new String(currentName, StandardCharsets.UTF_8) + " exceeds its declared "
                    + currentSize + " bytes");
        }
        crc.update(data.duplicate());
        writeFully(data);
        currentWritten += n;
    }

    void endRecord() throws IOException {
        if (currentWritten != currentSize) {
            throw new IllegalStateException("record " + new String(currentName, StandardCharsets.UTF_8) + " got "
                    + currentWritten + " of its declared " + currentSize + " bytes");
        }
        long value = crc.getValue();
        int flags = FLAG_UTF8;
        if (currentSize > 0) {
            flags |= FLAG_DESCRIPTOR;
            ByteBuffer d = le(currentZip64 ? 24 : 16);
            d.putInt(DATA_DESCRIPTOR).putInt((int) value);
            if (currentZip64) {
                d.putLong(currentSize).putLong(currentSize);
            } else {
                d.putInt((int) currentSize).putInt((int) currentSize);
            }
            writeFully(d.flip());
            combinedCrc = hashCombine(combinedCrc, value);
        }
        central.add(new CentralEntry(currentName, flags, value, currentSize, currentOffset));
        currentName = null;
    }

    /** Central directory, zip64 end record and locator, end record. */
    void finish() throws IOException {
        if (currentName != null) {
            throw new IllegalStateException("record " + new String(currentName, StandardCharsets.UTF_8) + " not ended");
        }
        long centralOffset = position;
        for (CentralEntry e : central) {
            byte[] extra = zip64Extra(e.size >= U32_MAX, e.localOffset >= U32_MAX, e.size, e.localOffset);
            ByteBuffer c = le(46 + e.name.length + extra.length);
            c.putInt(CENTRAL_HEADER);
            c.putShort((short) 0); // version made by
            c.putShort((short) 0); // version needed
            c.putShort((short) e.flags);
            c.putShort((short) 0); // STORED
            c.putShort((short) 0).putShort((short) 0); // time, date
            c.putInt((int) e.crc);
            c.putInt((int) Math.min(e.size, U32_MAX));
            c.putInt((int) Math.min(e.size, U32_MAX));
            c.putShort((short) e.name.length);
            c.putShort((short) extra.length);
            c.putShort((short) 0); // comment
            c.putShort((short) 0); // disk
            c.putShort((short) 0); // internal attributes
            c.putInt(0); // external attributes
            c.putInt((int) Math.min(e.localOffset, U32_MAX));
            c.put(e.name).put(extra);
            writeFully(c.flip());
        }
        long centralSize = position - centralOffset;
        long zip64EocdOffset = position;
        ByteBuffer z = le(56 + 20 + 22);
        z.putInt(ZIP64_EOCD).putLong(44);
        z.putShort((short) 0x031E).putShort((short) 0x002D); // made by, needed (as miniz)
        z.putInt(0).putInt(0);
        z.putLong(central.size()).putLong(central.size());
        z.putLong(centralSize).putLong(centralOffset);
        z.putInt(ZIP64_LOCATOR).putInt(0).putLong(zip64EocdOffset).putInt(1);
        z.putInt(EOCD).putShort((short) 0).putShort((short) 0);
        z.putShort((short) Math.min(central.size(), 0xFFFF)).putShort((short) Math.min(central.size(), 0xFFFF));
        z.putInt((int) Math.min(centralSize, U32_MAX)).putInt((int) Math.min(centralOffset, U32_MAX));
        z.putShort((short) 0);
        writeFully(z.flip());
    }

    private static byte[] zip64Extra(boolean sizes, boolean offset, long size, long localOffset) {
        if (!sizes && !offset) {
            return new byte[0];
        }
        int len = (sizes ? 16 : 0) + (offset ? 8 : 0);
        ByteBuffer b = le(4 + len);
        b.putShort((short) 0x0001).putShort((short) len);
        if (sizes) {
            b.putLong(size).putLong(size);
        }
        if (offset) {
            b.putLong(localOffset);
        }
        return b.array();
    }

    /** c10::hash_combine (boost's formula on 64-bit values). */
    static long hashCombine(long seed, long value) {
        return seed ^ (value + 0x9e3779b9L + (seed << 6) + (seed >>> 2));
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void writeFully(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            position += out.write(data);
        }
    }
}
