package io.electraconvert.hf.formats.pytorch;

import java.util.List;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.IoErrors;
import io.electraconvert.hf.formats.pytorch.WeightsOnlyUnpickler.Dict;
import io.electraconvert.hf.formats.pytorch.WeightsOnlyUnpickler.StorageRef;
import io.electraconvert.hf.formats.pytorch.WeightsOnlyUnpickler.TensorRef;
import io.electraconvert.hf.weights.TensorSizes;
import io.electraconvert.files.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code pytorch_model.bin} (torch.save zip format) opened for reading without executing anything: the zip central
 * directory and {@code data.pkl} (by {@link WeightsOnlyUnpickler}, torch's weights_only rules) are checked on open,
 * tensor values are read on demand. Legacy (pre-1.6, non-zip) files are rejected.
 */
public final class PytorchBinFile implements WeightFile {
    /** data.pkl of a state dict is ~200 bytes per tensor; anything this large is not one. */
    private static final long MAX_PICKLE_BYTES = 1L << 28;
    private static final int MIN_VERSION = 1;
    private static final int MAX_VERSION = 10;

    /** A tensor of the state dict: a strided view of storage {@code data/<storageKey>}. */
    public record Tensor(String name, DType dtype, long[] shape, long[] stride, String storageKey, long storageOffset) {
        public Tensor {
            shape = shape.clone();
            stride = stride.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public long[] stride() {
            return stride.clone();
        }

        /** Element count; at most the storage's, as {@link #open} checked. */
        public long numElements() {
            return TensorSizes.elements(shape).orElseThrow(() -> new IllegalStateException(this + ": unchecked shape"));
        }

        @Override
        public String toString() {
            return name + " " + dtype.torchName() + Arrays.toString(shape);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final TorchZipArchive zip;
    private final boolean bigEndian;
    private final Map<String, Tensor> tensors;

    private PytorchBinFile(Path file, FileChannel channel, TorchZipArchive zip, boolean bigEndian,
                           Map<String, Tensor> tensors) {
        this.file = file;
        this.channel = channel;
        this.zip = zip;
        this.bigEndian = bigEndian;
        this.tensors = tensors;
    }

    public static PytorchBinFile open(Path file) {
        FileChannel channel = InputFiles.openChannel(file, "weights file");
        try {
            if (channel.size() >= 2) {
                ByteBuffer magic = InputFiles.readAt(file, channel, 0, 2);
                if ((magic.get(0) & 0xff) == 0x80 && channel.size() > 2) {
                    throw new BadInputException(file, "legacy (pre-zip, torch < 1.6) torch.save format is not supported");
                }
            }
            TorchZipArchive zip = TorchZipArchive.read(file, channel);
            checkVersion(file, zip);
            boolean bigEndian = byteOrder(file, zip);
            TorchZipArchive.Record pickleRecord = zip.record("data.pkl");
            if (pickleRecord == null) {
                throw new BadInputException(file, "not a torch.save archive: no " + zip.archiveName() + "/data.pkl record");
            }
            Object root = WeightsOnlyUnpickler.load(file, zip.readRecord(pickleRecord, MAX_PICKLE_BYTES));
            if (!(root instanceof Dict dict)) {
                throw new BadInputException(file, "data.pkl holds " + WeightsOnlyUnpickler.describe(root) + ", not a state dict");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : dict.items.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw new BadInputException(file, "state dict key " + WeightsOnlyUnpickler.describe(e.getKey()) + " is not a string");
                }
                if (!(e.getValue() instanceof TensorRef t)) {
                    throw new BadInputException(file, "state dict entry '" + name + "' is "
                            + WeightsOnlyUnpickler.describe(e.getValue()) + ", not a tensor");
                }
                checkStorage(file, zip, name, t);
                tensors.put(name, new Tensor(name, t.storage().dtype(), t.shape(), t.stride(), t.storage().key(), t.storageOffset()));
            }
            return new PytorchBinFile(file, channel, zip, bigEndian, Collections.unmodifiableMap(tensors));
        } catch (IOException e) {
            InputFiles.closeQuietly(channel);
            throw new BadInputException(file, "cannot read: " + IoErrors.reason(e), e);
        } catch (RuntimeException e) {
            InputFiles.closeQuietly(channel);
            throw e;
        }
    }

    private static void checkVersion(Path file, TorchZipArchive zip) throws IOException {
        TorchZipArchive.Record r = zip.record("version");
        if (r == null) {
            r = zip.record(".data/version");
        }
        if (r == null) {
            throw new BadInputException(file, "not a torch.save archive: no " + zip.archiveName() + "/version record");
        }
        String text = new String(zip.readRecord(r, 64), StandardCharsets.US_ASCII).trim();
        int version;
        try {
            version = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadInputException(file, "torch archive version record is not a number: '" + text + "'");
        }
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new BadInputException(file, "unsupported torch archive version " + version
                    + " (supported " + MIN_VERSION + " to " + MAX_VERSION + ")");
        }
    }

    private static boolean byteOrder(Path file, TorchZipArchive zip) throws IOException {
        TorchZipArchive.Record r = zip.record("byteorder");
        if (r == null) {
            return false; // torch assumes little-endian when the record is missing
        }
        String order = new String(zip.readRecord(r, 16), StandardCharsets.US_ASCII);
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default -> throw new BadInputException(file, "unknown byteorder '" + order + "'");
        };
    }

    /**
     * A tensor is a strided view of its storage. Non-contiguous views are read (torch.save keeps the strides of a
     * transposed or sliced tensor, as in the real fixture), but a view must lie inside its storage, its extent
     * computed without overflow, and hold no more elements than the storage: a broadcast (stride-0) view, or any
     * other that overlaps itself beyond that, is refused. A state dict never holds one, and reading it would allocate
     * more than the file holds (a 90 kB file could declare a vocabulary-sized tensor over a single row).
     */
    private static void checkStorage(Path file, TorchZipArchive zip, String name, TensorRef t) {
        StorageRef s = t.storage();
        String where = "tensor '" + name + "' " + Arrays.toString(t.shape());
        TorchZipArchive.Record r = zip.record("data/" + s.key());
        if (r == null) {
            throw new BadInputException(file, "tensor '" + name + "' refers to storage '" + s.key() + "' but the archive has no data/"
                    + s.key() + " record");
        }
        long bytes = TensorSizes.bytes(new long[] {s.numel()}, s.dtype().byteSize()).orElseThrow(() -> new BadInputException(file,
                "storage data/" + s.key() + " declares " + s.numel() + " " + s.dtype().torchName() + " elements, more than 2^63-1 bytes"));
        if (r.size() != bytes) {
            throw new BadInputException(file, "storage data/" + s.key() + " holds " + r.size() + " bytes but " + s.numel() + " "
                    + s.dtype().torchName() + " elements need " + bytes);
        }
        long elements = TensorSizes.elements(t.shape())
                .orElseThrow(() -> new BadInputException(file, where + " has more than 2^63-1 elements"));
        if (elements == 0) {
            return;
        }
        long last = t.storageOffset();
        for (int i = 0; i < t.shape().length; i++) {
            long size = t.shape()[i];
            long stride = t.stride()[i];
            if (size > 1 && stride == 0) {
                throw new BadInputException(file, where + " is a broadcast view (stride 0 in dimension " + i
                        + "); state dicts hold no such views");
            }
            // strides are non-negative (the unpickler checked), so a sum past 2^63-1 is past any storage
            last = size - 1 > (Long.MAX_VALUE - last) / Math.max(stride, 1) ? Long.MAX_VALUE : last + (size - 1) * stride;
        }
        if (last >= s.numel()) {
            throw new BadInputException(file, where + " at offset " + t.storageOffset() + " with stride "
                    + Arrays.toString(t.stride()) + " reads past its storage of " + s.numel() + " elements");
        }
        if (elements > s.numel()) {
            throw new BadInputException(file, where + " with stride " + Arrays.toString(t.stride()) + " has " + elements
                    + " elements, more than its storage's " + s.numel() + " (a view overlapping itself)");
        }
    }

    public Path path() {
        return file;
    }

    /** The archive folder inside the zip (the file's basename when written by torch.save). */
    public String archiveName() {
        return zip.archiveName();
    }

    @Override
    public List<StoredTensor> stored() {
        return tensors.values().stream().map(t -> WeightFile.storedTensor(file, t.name(), t.dtype(), t.shape())).toList();
    }

    /** Tensors in state-dict order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new BadInputException(file, "no tensor named '" + name + "'");
        }
        return t;
    }

    /** A tensor's elements in row-major order, as stored (little-endian), {@code numel x element size} bytes. */
    public ByteBuffer readBytes(String name) {
        Tensor t = tensor(name);
        int es = t.dtype().byteSize();
        long numel = t.numElements();
        if (numel * es > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file, "tensor '" + name + "' is larger than 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) numel * es).order(ByteOrder.LITTLE_ENDIAN);
        if (numel == 0) {
            return out;
        }
        long[] shape = t.shape();
        long[] stride = t.stride();
        long first = t.storageOffset();
        long last = first;
        for (int i = 0; i < shape.length; i++) {
            last += (shape[i] - 1) * stride[i];
        }
        TorchZipArchive.Record record = zip.record("data/" + t.storageKey());
        long spanBytes = (last - first + 1) * es;
        if (spanBytes > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file, "tensor '" + name + "' spans more than 2 GiB of its storage");
        }
        ByteBuffer window;
        try {
            window = zip.readRange(record, first * es, (int) spanBytes);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read tensor '" + name + "': " + IoErrors.reason(e), e);
        }
        if (first == 0 && spanBytes == record.size()) {
            zip.checkCrc(record, window);
        }
        boolean contiguous = Arrays.equals(stride, TorchPickle.contiguousStrides(shape));
        if (contiguous && !bigEndian) {
            out.put(window);
            return out.flip();
        }
        // general strided gather, row-major over the shape
        long[] index = new long[shape.length];
        byte[] element = new byte[es];
        for (long n = 0; n < numel; n++) {
            long at = 0;
            for (int i = 0; i < shape.length; i++) {
                at += index[i] * stride[i];
            }
            window.get((int) (at * es), element);
            if (bigEndian) {
                for (int i = 0; i < es / 2; i++) {
                    byte b = element[i];
                    element[i] = element[es - 1 - i];
                    element[es - 1 - i] = b;
                }
            }
            out.put(element);
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return out.flip();
    }

    /** A floating-point tensor as float32 (float16/bfloat16 widened exactly, float64 rounded). */
    public float[] readFloats(String name) {
        Tensor t = tensor(name);
        if (!t.dtype().isFloatingPoint()) {
            throw new BadInputException(file, "tensor '" + name + "' is " + t.dtype().torchName() + ", not floating point");
        }
        return t.dtype().decode(readBytes(name), Math.toIntExact(t.numElements()));
    }

    /** Whether two tensors are views of the same storage (torch's shared storages, e.g. tied weights). */
    public boolean sharesStorage(String a, String b) {
        return tensor(a).storageKey().equals(tensor(b).storageKey());
    }

    @Override
    public void close() {
        InputFiles.closeQuietly(channel);
    }
}
