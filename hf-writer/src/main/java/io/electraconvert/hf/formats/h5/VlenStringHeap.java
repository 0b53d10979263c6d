package io.electraconvert.hf.formats.h5;

import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.storage.HdfFileChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Variable-length ASCII string attributes, as h5py writes Python {@code bytes}: each element is a 16-byte
 * reference (length, global heap collection address, object index) to one global heap collection (GCOL) holding
 * every string of the file.
 *
 * <p>jHDF encodes attribute data before it writes the children of a group, so the collection's address is not
 * known then: the references are encoded with a placeholder address into buffers that are patched when
 * {@link #writeAt} places the collection (jHDF copies the buffer contents only when it writes the group's object
 * header, after its children). The writer places the collection right after the first dataset written, which
 * precedes every group header.
 */
final class VlenStringHeap {
    private static final int OBJECT_HEADER = 16;
    private static final int MIN_COLLECTION = 4096; // H5HG_MINSIZE: the HDF5 library reads at least this much

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<ByteBuffer> pending = new ArrayList<>();
    private long address = -1;
    private final DataType type = new H5Types.RawDataType(9, 16, H5Types.vlenAsciiStringMessage(), this::encode);

    /** Adds the strings to the heap (deduplicated) and returns an attribute referencing them. */
    H5Types.RawAttribute attribute(String name, Node node, List<String> values) {
        values.forEach(this::add);
        return H5Types.RawAttribute.strings(name, node, type, values);
    }

    /** A scalar string attribute. */
    H5Types.RawAttribute scalar(String name, Node node, String value) {
        add(value);
        return new H5Types.RawAttribute(name, node, type, H5Types.dataSpace(new long[0]), new String[] {value});
    }

    private void add(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e || s.charAt(i) < 0x20) {
                throw new IllegalArgumentException("not a printable ASCII name: " + s);
            }
        }
        if (address >= 0) {
            throw new IllegalStateException("heap already written");
        }
        index.computeIfAbsent(s, k -> index.size() + 1);
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    boolean written() {
        return address >= 0;
    }

    private ByteBuffer encode(Object data) {
        String[] strings = (String[]) data;
        ByteBuffer out = ByteBuffer.allocate(strings.length * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : strings) {
            Integer id = index.get(s);
            if (id == null) {
                throw new IllegalStateException("string not in heap: " + s);
            }
            out.putInt(s.length()).putLong(Math.max(address, 0)).putInt(id);
        }
        out.flip();
        if (address < 0) {
            pending.add(out);
        }
        return out;
    }

    /** Writes the collection at {@code position}, patches every reference encoded so far; returns its size. */
    long writeAt(HdfFileChannel channel, long position) {
        if (index.size() > 0xffff) {
            throw new IllegalArgumentException("too many distinct strings for one global heap collection: " + index.size());
        }
        long used = OBJECT_HEADER; // "GCOL", version, reserved, collection size
        for (String s : index.keySet()) {
            used += OBJECT_HEADER + align8(s.length());
        }
        long size = Math.max(MIN_COLLECTION, used + OBJECT_HEADER);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GCOL".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put(new byte[3]).putLong(size);
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.US_ASCII);
            b.putShort((short) (int) e.getValue()).putShort((short) 0).putInt(0).putLong(bytes.length);
            b.put(bytes).put(new byte[(int) (align8(bytes.length) - bytes.length)]);
        }
        // object 0: the free space, up to the end of the collection
        long free = size - b.position(); // including its own 16-byte header
        b.putShort((short) 0).putShort((short) 0).putInt(0).putLong(free);
        b.position(b.capacity()).flip();
        while (b.hasRemaining()) {
            channel.write(b, position + b.position());
        }
        address = position;
        for (ByteBuffer buffer : pending) {
            for (int i = 0; i < buffer.limit(); i += 16) {
                buffer.putLong(i + 4, position);
            }
        }
        pending.clear();
        return size;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
