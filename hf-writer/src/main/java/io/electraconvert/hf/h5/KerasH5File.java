package io.electraconvert.hf.h5;

import io.electraconvert.hf.HfFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Keras 2 HDF5 {@code tf_model.h5} (ours or transformers 4.x's) the way transformers' {@code
 * load_tf_weights_from_h5} does: root {@code layer_names}, each layer group's {@code weight_names} (or its chunks
 * {@code weight_names0, 1, ...}), the dataset at {@code <layer>/<weight name>}, the first name component (the Keras
 * model name) dropped. Tensors are exposed by HF (PyTorch) key and orientation: kernels are transposed back to
 * {@code [out, in]}. A name repeated by a later layer (the MaskedLM file's embeddings under
 * {@code generator_lm_head}) keeps its first occurrence.
 */
public final class KerasH5File implements AutoCloseable {
    static {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    /**
     * One tensor: HF key, the h5 dataset path, PyTorch-orientation shape, whether it is a transposed kernel, and the
     * stored float width as a safetensors-style dtype name (F16, F32, F64).
     */
    public record Entry(String hfKey, String datasetPath, long[] shape, boolean kernel, String dtype) {
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
        if (!Files.isRegularFile(file)) {
            throw new HfFormatException(file, "no such file");
        }
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new HfFormatException(file, "not a readable HDF5 file (" + oneLine(e) + ")", e);
        }
        try {
            List<String> layers = strings(hdf, "layer_names");
            if (layers.isEmpty()) {
                throw new HfFormatException(file, "no root attribute layer_names: not a Keras HDF5 weights file");
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (String layer : layers) {
                Node group = hdf.getChild(layer);
                if (group == null || !group.isGroup()) {
                    throw new HfFormatException(file, "layer_names lists '" + layer + "' but there is no such group");
                }
                for (String name : strings(group, "weight_names")) {
                    KerasLayout.Weight w = KerasLayout.fromWeightName(layer, name);
                    if (entries.containsKey(w.hfKey())) {
                        continue;
                    }
                    Dataset ds = hdf.getDatasetByPath(w.datasetPath());
                    long[] shape = ds.getDimensionsAsLong();
                    if (w.kernel()) {
                        if (shape.length != 2) {
                            throw new HfFormatException(file, w.datasetPath() + ": a kernel must be 2-D, got rank " + shape.length);
                        }
                        shape = new long[] {shape[1], shape[0]};
                    }
                    String dtype = switch (ds.getDataType().getSize()) {
                        case 2 -> "F16";
                        case 8 -> "F64";
                        default -> "F32";
                    };
                    entries.put(w.hfKey(), new Entry(w.hfKey(), w.datasetPath(), shape, w.kernel(), dtype));
                }
            }
            return new KerasH5File(file, hdf, List.copyOf(layers), Collections.unmodifiableMap(entries));
        } catch (HfFormatException e) {
            hdf.close();
            throw e;
        } catch (RuntimeException e) {
            hdf.close();
            throw new HfFormatException(file, "malformed Keras HDF5 weights (" + oneLine(e) + ")", e);
        }
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
                    throw new IllegalArgumentException("expected strings, got " + (v == null ? "null" : v.getClass().getSimpleName()));
                }
                out.add(s);
            }
        } else {
            throw new IllegalArgumentException("expected a string attribute, got " + (data == null ? "null" : data.getClass().getSimpleName()));
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
    public Map<String, Entry> tensors() {
        return entries;
    }

    public Entry entry(String hfKey) {
        Entry e = entries.get(hfKey);
        if (e == null) {
            throw new HfFormatException(path, "no tensor " + hfKey);
        }
        return e;
    }

    /** The tensor's values as float32, row-major, PyTorch orientation. */
    public float[] readFloats(String hfKey) {
        Entry e = entry(hfKey);
        float[] values;
        try {
            values = toFloats(hdf.getDatasetByPath(e.datasetPath()).getDataFlat());
        } catch (HfFormatException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new HfFormatException(path, e.datasetPath() + ": cannot read (" + oneLine(ex) + ")", ex);
        }
        long n = 1;
        for (long d : e.shape()) {
            n *= d;
        }
        if (values.length != n) {
            throw new HfFormatException(path, e.datasetPath() + ": holds " + values.length + " values, shape needs " + n);
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
        throw new HfFormatException(path, "unsupported dataset type " + (flat == null ? "null" : flat.getClass().getSimpleName()));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        hdf.close();
    }
}
