package io.electraconvert.hf.formats.h5;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.io.KernelTransposer;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.tensor.HalfPrecision;
import io.jhdf.Superblock;
import io.jhdf.WritableGroupImpl;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.storage.HdfFileChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code tf_model.h5} in the layout of {@link KerasLayout} with jHDF's object writer, driven directly
 * (not through {@code HdfFile.write}) so the file carries no {@code _jHDF} attribute or trailing banner.
 *
 * <p>Differences from a file h5py writes, none visible to h5py or transformers' loader: superblock v3 and v2
 * object headers (jHDF's only format) instead of h5py's default "earliest" v0/v1, and the group/dataset order in
 * the file.
 */
public final class KerasH5Writer {
    /** Keras' {@code HDF5_OBJECT_HEADER_LIMIT}: a larger {@code weight_names} is split into chunks. */
    static final int HDF5_OBJECT_HEADER_LIMIT = 64512;

    static {
        // jHDF logs through slf4j; without a provider slf4j 2 prints a warning on stderr. Keep the CLI quiet.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private KerasH5Writer() {}

    public static void write(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        Map<String, OutputTensor> byKey = new HashMap<>();
        for (OutputTensor t : tensors) {
            byKey.put(t.name(), t);
        }
        KerasLayout layout = KerasLayout.forKeys(tensors.stream().map(OutputTensor::name).toList());
        DataType type = switch (dtype) {
            case FLOAT16 -> H5Types.float16();
            // HDF5/h5py have no bfloat16: values are rounded to bfloat16 and stored widened, exactly, as float32
            case FLOAT32, BFLOAT16 -> H5Types.float32();
            default -> throw new IllegalArgumentException(dtype + " is not an output type");
        };

        VlenStringHeap heap = new VlenStringHeap();
        WritableGroupImpl root = new WritableGroupImpl(null, "/");
        root.getAttributes().put("layer_names", heap.attribute("layer_names", root, layout.layerNames()));
        root.getAttributes().put("backend", heap.scalar("backend", root, KerasLayout.BACKEND));
        root.getAttributes().put("keras_version", heap.scalar("keras_version", root, KerasLayout.KERAS_VERSION));

        Set<String> reported = new HashSet<>();
        for (KerasLayout.Layer layer : layout.layers()) {
            WritableGroup group = root.putGroup(layer.name());
            putWeightNames(group, layer.weightNames(), heap);
            for (KerasLayout.Weight w : layer.weights()) {
                OutputTensor t = byKey.get(w.hfKey());
                String[] path = w.weightName().split("/");
                WritableGroup parent = group;
                for (int i = 0; i < path.length - 1; i++) {
                    parent = parent.getChild(path[i]) instanceof WritableGroup g ? g : parent.putGroup(path[i]);
                }
                long[] shape = t.shape();
                if (w.kernel()) {
                    if (shape.length != 2) {
                        throw new IllegalArgumentException(t.name() + ": a Dense kernel must be 2-D, got " + t);
                    }
                    shape = new long[] {shape[1], shape[0]};
                }
                boolean first = reported.add(t.name());
                long reportedBytes = t.numElements() * dtype.byteSize();
                long fileBytes = t.numElements() * (dtype == DType.FLOAT16 ? 2 : 4);
                parent.putDataset(path[path.length - 1], new StreamingDataset(path[path.length - 1], parent, type, shape,
                        fileBytes, (channel, offset) -> writeValues(t, w.kernel(), dtype, channel, offset), heap,
                        () -> { if (first) { progress.wrote(t.name(), reportedBytes); } }));
            }
        }
        WritableGroup top = root.putGroup(KerasLayout.TOP_LEVEL_GROUP);
        top.getAttributes().put("weight_names", new H5Types.RawAttribute("weight_names", top, H5Types.emptyFloat64(),
                H5Types.dataSpace(new long[] {0}), new double[0]));

        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            Superblock.SuperblockV2V3 superblock = new Superblock.SuperblockV2V3();
            HdfFileChannel channel = new HdfFileChannel(fc, superblock);
            long end = root.write(channel, 64); // WritableHdfFile.ROOT_GROUP_ADDRESS, which the superblock names
            ByteBuffer sb = superblock.toBuffer(end);
            while (sb.hasRemaining()) {
                fc.write(sb, sb.position());
            }
            if (fc.size() != end) {
                throw new IOException(file + ": internal error, h5 end of file " + end + " != size " + fc.size());
            }
        } catch (HdfException e) {
            throw new IOException(file + ": cannot write h5: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a tensor's bytes could not be read or written (StreamingDataset)
        }
    }

    /**
     * Writes one tensor's values at {@code offset} in the file's dtype. Kernels go back to Keras' [in, out] and need
     * the whole (at most a few MiB) tensor; everything else streams chunk by chunk, so an embedding table never
     * sits in memory whole.
     */
    private static long writeValues(OutputTensor t, boolean kernel, DType dtype, HdfFileChannel channel, long offset)
            throws IOException {
        long[] at = {offset};
        if (kernel) {
            writeFully(channel, encodeKernel(t, dtype), at);
        } else {
            t.payload().stream(chunk -> writeFully(channel, encodeChunk(chunk, dtype), at));
        }
        return at[0] - offset;
    }

    private static void writeFully(HdfFileChannel channel, ByteBuffer bytes, long[] at) {
        while (bytes.hasRemaining()) {
            at[0] += channel.write(bytes, at[0]);
        }
    }

    /** float32 LE values in the file's dtype: as they are, as float16, or rounded to bfloat16 and widened back. */
    private static ByteBuffer encodeChunk(ByteBuffer float32, DType dtype) {
        if (dtype != DType.BFLOAT16) {
            return dtype.encode(float32);
        }
        FloatBuffer in = float32.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) { // HDF5 has no bfloat16: rounded, then widened back exactly
            out.putFloat(HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(in.get())));
        }
        return out.flip();
    }

    /** Keras' {@code save_attributes_to_hdf5_group}: one vlen attribute, or fixed-length chunks past the limit. */
    private static void putWeightNames(WritableGroup group, List<String> names, VlenStringHeap heap) {
        int width = names.stream().mapToInt(n -> n.getBytes(StandardCharsets.US_ASCII).length).max().orElse(1);
        int chunks = 1;
        while (maxChunkBytes(names.size(), chunks, width) > HDF5_OBJECT_HEADER_LIMIT) {
            chunks++;
        }
        if (chunks == 1) {
            group.getAttributes().put("weight_names", heap.attribute("weight_names", group, names));
            return;
        }
        // np.array_split(np.asarray(names), chunks): the first n % chunks parts get one extra element; the
        // chunks keep the whole array's |S<width> type, written by h5py as fixed-length null-padded ASCII
        int base = names.size() / chunks;
        int extra = names.size() % chunks;
        int from = 0;
        DataType fixed = H5Types.fixedAsciiNullPadded(width);
        for (int c = 0; c < chunks; c++) {
            int n = base + (c < extra ? 1 : 0);
            String attr = "weight_names" + c;
            group.getAttributes().put(attr, H5Types.RawAttribute.strings(attr, group, fixed,
                    new ArrayList<>(names.subList(from, from + n))));
            from += n;
        }
    }

    private static long maxChunkBytes(int count, int chunks, int width) {
        return (long) ((count + chunks - 1) / chunks) * width;
    }

    /** A kernel's values in the file's dtype, little-endian, transposed back to Keras' [in, out]. */
    private static ByteBuffer encodeKernel(OutputTensor t, DType dtype) {
        FloatBuffer in = t.payload().float32LittleEndian().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int n = Math.toIntExact(t.numElements());
        if (in.remaining() != n) {
            throw new IllegalStateException(t.name() + ": payload holds " + in.remaining() + " values, shape needs " + n);
        }
        ByteBuffer float32 = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        long[] s = t.shape(); // HF [out, in] back to Keras' [in, out]
        new KernelTransposer().transpose(in, Math.toIntExact(s[0]), Math.toIntExact(s[1]), float32.asFloatBuffer());
        return encodeChunk(float32, dtype);
    }
}
