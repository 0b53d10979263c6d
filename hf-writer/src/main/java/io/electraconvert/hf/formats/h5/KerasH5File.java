package io.electraconvert.hf.formats.h5;

import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.error.BadInputException;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.files.IoErrors;
import io.electraconvert.hf.weights.TensorSizes;
import io.electraconvert.files.InputFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataLayout;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Keras 2 HDF5 {@code tf_model.h5} (ours or transformers 4.x's) the way transformers' {@code
 * load_tf_weights_from_h5} does: root {@code layer_names}, each layer group's {@code weight_names} (or its chunks
 * {@code weight_names0, 1, ...}), the dataset at {@code <layer>/<weight name>}, the first name component (the Keras
 * model name) dropped. Tensors are exposed by HF (PyTorch) key and orientation: kernels are transposed back to
 * {@code [out, in]}. A name repeated by a later layer (the MaskedLM file's embeddings under
 * {@code generator_lm_head}) keeps its first occurrence.
 */
public final class KerasH5File implements WeightFile {
    static {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    /**
     * One tensor: HF key, the h5 dataset path, PyTorch-orientation shape, whether it is a transposed kernel, the
     * stored float width as a safetensors-style dtype name (F16, F32, F64) and its size in bytes.
     */
    public record Entry(String hfKey, String datasetPath, long[] shape, boolean kernel, DType dtype) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private final Path path;
    private final HdfFile hdf;
    private final List<String> layerNames;
    private final Map<String, Entry> entries;

    private KerasH5File(Path path, HdfFile hdf, List<String> layerNames, Map<String, Entry> entries) {
        this.path = path;
        this.hdf = hdf;
        this.layerNames = layerNames;
        this.entries = entries;
    }

    public static KerasH5File open(Path file) {
        ByteBuffer bytes = map(file);
        HdfFile hdf;
        try {
            hdf = HdfFile.fromByteBuffer(bytes);
        } catch (RuntimeException | StackOverflowError e) {
            throw new BadInputException(file, "not a readable HDF5 file (" + reason(e) + ")", e);
        }
        try {
            List<String> layers = strings(hdf, "layer_names");
            if (layers.isEmpty()) {
                throw new BadInputException(file, "no root attribute layer_names: not a Keras HDF5 weights file");
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (String layer : layers) {
                Node group = hdf.getChild(layer);
                if (group == null || !group.isGroup()) {
                    throw new BadInputException(file, "layer_names lists '" + layer + "' but there is no such group");
                }
                for (String name : strings(group, "weight_names")) {
                    KerasLayout.Weight w = KerasLayout.fromWeightName(layer, name);
                    if (entries.containsKey(w.hfKey())) {
                        continue;
                    }
                    Dataset ds = hdf.getDatasetByPath(w.datasetPath());
                    int elementSize = checkDataset(file, w.datasetPath(), ds, bytes.capacity(), hdf.getUserBlockSize());
                    long[] shape = ds.getDimensionsAsLong();
                    if (w.kernel()) {
                        if (shape.length != 2) {
                            throw new BadInputException(file, w.datasetPath() + ": a kernel must be 2-D, got rank " + shape.length);
                        }
                        shape = new long[] {shape[1], shape[0]};
                    }
                    DType dtype = switch (elementSize) {
                        case 2 -> DType.FLOAT16;
                        case 8 -> DType.FLOAT64;
                        default -> DType.FLOAT32;
                    };
                    entries.put(w.hfKey(), new Entry(w.hfKey(), w.datasetPath(), shape, w.kernel(), dtype));
                }
            }
            return new KerasH5File(file, hdf, List.copyOf(layers), Collections.unmodifiableMap(entries));
        } catch (ElectraConvertException e) {
            hdf.close();
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            hdf.close();
            throw new BadInputException(file, "malformed Keras HDF5 weights (" + reason(e) + ")", e);
        }
    }

    /**
     * The whole file, mapped. jHDF then reads the file's structures as slices of the mapping: reading from a channel
     * it allocates each length the file declares before reading, so one corrupt length could allocate gigabytes. A
     * mapping holds at most 2 GiB; ELECTRA-large's tf_model.h5 is 1.3 GB.
     */
    private static ByteBuffer map(Path file) {
        try (FileChannel channel = InputFiles.openChannel(file, "weights file")) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new BadInputException(file, "HDF5 file of " + size + " bytes is larger than the 2 GiB this reader maps");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + IoErrors.reason(e), e);
        }
    }

    /** IEEE 754 binary16/32/64 by byte size: sign location, exponent location and size, mantissa size, bias. */
    private static final Map<Integer, List<Integer>> IEEE_FLOATS = Map.of(
            2, List.of(15, 10, 5, 10, 15), 4, List.of(31, 23, 8, 23, 127), 8, List.of(63, 52, 11, 52, 1023));

    /**
     * What {@code inspect} relies on without reading values, checked on open: the dataset is an IEEE float of 2, 4
     * or 8 bytes (Keras writes float32, h5py float16 as IEEE half), its shape's byte size has no overflow, and its data
     * is contiguous and lies inside the file. Keras never writes chunked (compressed) or compact datasets, so they
     * are refused rather than inflated. Returns the element size.
     */
    private static int checkDataset(Path file, String path, Dataset ds, long fileSize, long userBlock) {
        DataType type = ds.getDataType();
        if (!(type instanceof FloatingPoint fp) || !isIeee(fp)) {
            String kind = type instanceof FloatingPoint ? "a " + type.getSize() + "-byte float not laid out as IEEE 754"
                    : "of HDF5 class " + type.getDataClass() + " and " + type.getSize() + " bytes";
            throw new BadInputException(file, path + ": datatype is " + kind + ", not an IEEE float of 2, 4 or 8 bytes");
        }
        long[] dims = ds.getDimensionsAsLong();
        long bytes = TensorSizes.bytes(dims, type.getSize()).orElseThrow(() -> new BadInputException(file,
                path + ": dataspace " + Arrays.toString(dims) + " holds more than 2^63-1 bytes"));
        long elements = bytes / type.getSize();
        long declared;
        try {
            declared = ds.getSize();
        } catch (ArithmeticException e) {
            declared = -1; // jHDF multiplies the dimensions in order: 2^40 x 2^40 x 0 overflows there
        }
        if (declared != elements) {
            throw new BadInputException(file, path + ": dataspace " + Arrays.toString(dims) + " is null or its size overflows");
        }
        if (ds.getDataLayout() != DataLayout.CONTIGUOUS) {
            throw new BadInputException(file, path + ": " + ds.getDataLayout().name().toLowerCase(Locale.ROOT)
                    + " storage; Keras writes contiguous datasets, so chunked (compressed) and compact ones are not read");
        }
        long address = ((ContiguousDataset) ds).getDataAddress();
        if (bytes > 0 && (address < 0 || address > fileSize - userBlock - bytes)) {
            throw new BadInputException(file, path + ": data at byte " + Long.toUnsignedString(address) + " (+" + bytes
                    + ") lies outside the file of " + fileSize + " bytes");
        }
        return type.getSize();
    }

    private static boolean isIeee(FloatingPoint fp) {
        List<Integer> f = IEEE_FLOATS.get(fp.getSize());
        return f != null && fp.getBitPrecision() == 8 * fp.getSize() && fp.getBitOffset() == 0
                && fp.getSignLocation() == f.get(0) && fp.getExponentLocation() == f.get(1)
                && fp.getExponentSize() == f.get(2) && fp.getMantissaLocation() == 0 && fp.getMantissaSize() == f.get(3)
                && fp.getExponentBias() == f.get(4) && fp.getMantissaNormalization() == 2
                && !fp.isLowPadding() && !fp.isHighPadding() && !fp.isInternalPadding();
    }

    /** transformers' {@code load_attributes_from_hdf5_group}: the attribute, else its chunks name0, name1, ... */
    static List<String> strings(Node node, String name) {
        List<String> out = new ArrayList<>();
        Attribute a = node.getAttribute(name);
        if (a != null) {
            addStrings(out, a.getData());
            return out;
        }
        for (int chunk = 0; (a = node.getAttribute(name + chunk)) != null; chunk++) {
            addStrings(out, a.getData());
        }
        return out;
    }

    private static void addStrings(List<String> out, Object data) {
        if (data instanceof String s) {
            out.add(s);
        } else if (data != null && data.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) {
                Object v = Array.get(data, i);
                if (!(v instanceof String s)) {
                    throw new IllegalArgumentException("expected an attribute of strings");
                }
                out.add(s);
            }
        } else {
            throw new IllegalArgumentException("expected a string attribute");
        }
    }

    public Path path() {
        return path;
    }

    /** Root {@code layer_names}. */
    public List<String> layerNames() {
        return layerNames;
    }

    /** Every tensor by HF key, in file order. */
    @Override
    public List<StoredTensor> stored() {
        return tensors().values().stream().map(e -> WeightFile.storedTensor(path(), e.hfKey(), e.dtype(), e.shape())).toList();
    }

    public Map<String, Entry> tensors() {
        return entries;
    }

    public Entry entry(String hfKey) {
        Entry e = entries.get(hfKey);
        if (e == null) {
            throw new BadInputException(path, "no tensor " + hfKey);
        }
        return e;
    }

    /** The tensor's values as float32, row-major, PyTorch orientation. */
    public float[] readFloats(String hfKey) {
        Entry e = entry(hfKey);
        float[] values;
        try {
            values = toFloats(hdf.getDatasetByPath(e.datasetPath()).getDataFlat());
        } catch (ElectraConvertException ex) {
            throw ex;
        } catch (RuntimeException | StackOverflowError ex) {
            throw new BadInputException(path, e.datasetPath() + ": cannot read (" + reason(ex) + ")", ex);
        }
        long n = TensorSizes.elements(e.shape()).orElseThrow(); // checked on open
        if (values.length != n) {
            throw new BadInputException(path, e.datasetPath() + ": holds " + values.length + " values, shape needs " + n);
        }
        if (!e.kernel()) {
            return values;
        }
        int rows = (int) e.shape()[1]; // stored [in, out]
        int cols = (int) e.shape()[0];
        float[] tr = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                tr[c * rows + r] = values[r * cols + c];
            }
        }
        return tr;
    }

    private float[] toFloats(Object flat) {
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw new BadInputException(path, "dataset values are not floats");
    }

    /**
     * Why jHDF failed, in words: its own exceptions say what is wrong; anything else it throws on a corrupt file
     * (buffer underflows, casts, negative sizes, recursion through a cyclic structure) is described, never named.
     */
    private static String reason(Throwable e) {
        if (e instanceof HdfException && e.getMessage() != null) {
            return e.getMessage().lines().findFirst().orElse("");
        }
        return e instanceof StackOverflowError ? "its structures refer to one another without end"
                : "a structure is corrupt or truncated";
    }

    @Override
    public void close() {
        hdf.close();
    }
}
