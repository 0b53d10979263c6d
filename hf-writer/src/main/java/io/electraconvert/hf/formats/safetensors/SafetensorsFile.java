package io.electraconvert.hf.formats.safetensors;

import java.util.List;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.IoErrors;
import io.electraconvert.files.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A safetensors file opened for reading; the header is validated on open, tensors are read on demand. */
public final class SafetensorsFile implements WeightFile {
    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final Map<String, SafetensorsEntry> byName;

    private SafetensorsFile(Path file, FileChannel channel, SafetensorsHeader header, long dataStart) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
        Map<String, SafetensorsEntry> map = new LinkedHashMap<>();
        header.entries().forEach(e -> map.put(e.name(), e));
        this.byName = Collections.unmodifiableMap(map);
    }

    public static SafetensorsFile open(Path file) {
        FileChannel channel = InputFiles.openChannel(file, "weights file");
        try {
            long size = channel.size();
            if (size < 8) {
                throw new BadInputException(file, "truncated safetensors file: " + size + " bytes, no header length");
            }
            ByteBuffer lengthBytes = InputFiles.readAt(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong();
            if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new BadInputException(file, "safetensors header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the format's limit of " + SafetensorsHeader.MAX_HEADER_BYTES);
            }
            if (8 + headerLength > size) {
                throw new BadInputException(file, "truncated safetensors file: header of " + headerLength
                        + " bytes does not fit in " + size + " bytes");
            }
            SafetensorsHeader header = SafetensorsHeader.parse(file, InputFiles.readAt(file, channel, 8, (int) headerLength), size);
            return new SafetensorsFile(file, channel, header, 8 + headerLength);
        } catch (IOException e) {
            InputFiles.closeQuietly(channel);
            throw new BadInputException(file, "cannot read: " + IoErrors.reason(e), e);
        } catch (RuntimeException e) {
            InputFiles.closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return file;
    }

    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public List<StoredTensor> stored() {
        String name = file.getFileName().toString();
        return byName.values().stream().map(e -> new StoredTensor(e.name(), e.dtype(), e.shape(), e.byteSize(), name)).toList();
    }

    /** Tensors in header order. */
    public Map<String, SafetensorsEntry> tensors() {
        return byName;
    }

    public SafetensorsHeader header() {
        return header;
    }

    public SafetensorsEntry entry(String name) {
        SafetensorsEntry e = byName.get(name);
        if (e == null) {
            throw new BadInputException(file, "no tensor named '" + name + "'");
        }
        return e;
    }

    private static final int READ_CHUNK_BYTES = 4 << 20; // a multiple of every element size

    /** The tensor's stored bytes, little-endian. */
    public ByteBuffer readBytes(String name) {
        SafetensorsEntry e = entry(name);
        if (e.byteSize() > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file, "tensor '" + name + "' is larger than 2 GiB");
        }
        try {
            return InputFiles.readAt(file, channel, dataStart + e.begin(), (int) e.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new BadInputException(file, "cannot read tensor '" + name + "': " + IoErrors.reason(ex), ex);
        }
    }

    /** A floating-point tensor as float32 (F16 and BF16 widened exactly, F64 rounded). */
    public float[] readFloats(String name) {
        SafetensorsEntry e = entry(name);
        if (!e.dtype().isFloatingPoint()) {
            throw new BadInputException(file, "tensor '" + name + "' is " + e.dtype().safetensorsName()
                    + ", not read as values (only F16, BF16, F32 and F64 are)");
        }
        float[] out = new float[Math.toIntExact(e.numElements())];
        int elementSize = e.dtype().byteSize();
        // in chunks: a large table costs its floats, not its bytes as well
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(e.byteSize(), READ_CHUNK_BYTES));
        try {
            for (long done = 0; done < e.byteSize(); ) {
                int n = (int) Math.min(chunk.capacity(), e.byteSize() - done);
                InputFiles.readFully(file, channel, dataStart + e.begin() + done, chunk.clear().limit(n));
                e.dtype().decodeInto(chunk, n / elementSize, out, (int) (done / elementSize));
                done += n;
            }
        } catch (IOException ex) {
            throw new BadInputException(file, "cannot read tensor '" + name + "': " + IoErrors.reason(ex), ex);
        }
        return out;
    }

    @Override
    public void close() {
        InputFiles.closeQuietly(channel);
    }
}
