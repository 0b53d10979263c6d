package io.electraconvert.hf.convert;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.mapping.ConversionPlan;
import io.electraconvert.hf.mapping.ElectraStateDict;
import io.electraconvert.hf.mapping.MappedVariable;
import io.electraconvert.hf.weights.KernelTransposer;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.TensorPayload;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plan's variables as output tensors whose values are read (and checksum-verified) only when written. Streamed
 * tensors come from a {@link ReadAhead} that reads, verifies and transposes them on worker threads ahead of the
 * writer, in bounded memory whatever the model's size. Close it to stop the workers.
 */
public final class CheckpointTensors implements AutoCloseable {
    /** Slab memory in flight: enough to keep the disk and the cores busy while the writer writes. */
    static final long READ_AHEAD_BYTES = 64L << 20;
    /** Most loads at once, for a cold disk (see {@link ReadConcurrency}); four readers measured fastest there. */
    static final int MAX_LOADERS = 4;

    private final List<OutputTensor> tensors;
    private final ReadAhead readAhead;

    private CheckpointTensors(List<OutputTensor> tensors, ReadAhead readAhead) {
        this.tensors = tensors;
        this.readAhead = readAhead;
    }

    /**
     * The tensors of one conversion, in plan order; stream them one at a time. {@code readNow}: start reading ahead
     * at once, for a writer that streams them in plan order (otherwise reading starts at the first request).
     */
    public static CheckpointTensors open(TfCheckpoint checkpoint, ConversionPlan plan, boolean readNow) {
        Map<String, long[]> shapes = ElectraStateDict.expectedShapes(plan.config(), plan.network());
        List<TensorSource> sources = new ArrayList<>();
        for (MappedVariable m : plan.mapped()) {
            sources.add(new TensorSource(checkpoint.info(m.tfName()), m.transpose()));
        }
        SlabLayout layout = SlabLayout.of(sources, SlabLayout.MIN_SLAB_BYTES);
        ReadAhead readAhead = sized(checkpoint, sources, layout, Runtime.getRuntime().maxMemory());
        List<OutputTensor> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            MappedVariable m = plan.mapped().get(i);
            out.add(new OutputTensor(m.hfKey(), shapes.get(m.hfKey()), new Payload(checkpoint, sources.get(i), readAhead, i)));
        }
        if (readNow) {
            readAhead.startAt(0);
        }
        return new CheckpointTensors(List.copyOf(out), readAhead);
    }

    /**
     * Slabs and loaders within half the JVM's memory limit (which by default also caps direct buffers): each slab
     * and each running load's read buffer is one slab size. At least two slabs and one loader, so -Xmx128m
     * converts ELECTRA-large with 16 MiB slabs; up to {@link #READ_AHEAD_BYTES} of slabs and {@link #MAX_LOADERS}
     * loaders when memory allows.
     */
    static ReadAhead sized(TfCheckpoint checkpoint, List<TensorSource> sources, SlabLayout layout, long maxMemory) {
        long units = Math.max(3, maxMemory / 2 / layout.slabBytes());
        int loaders = (int) Math.max(1, Math.min(MAX_LOADERS, (units - 2) / 2));
        int slabs = (int) Math.max(2, Math.min(READ_AHEAD_BYTES / layout.slabBytes(), units - loaders));
        // the writer holds one slab; the others can be loading
        return new ReadAhead(checkpoint, sources, layout, Math.min(loaders, slabs - 1), slabs);
    }

    public List<OutputTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        readAhead.close();
    }

    private record Payload(TfCheckpoint checkpoint, TensorSource source, ReadAhead readAhead, int index) implements TensorPayload {
        @Override
        public ByteBuffer float32LittleEndian() {
            return float32(checkpoint, source.info(), source.transpose());
        }

        @Override
        public void stream(ChunkSink sink) throws IOException {
            readAhead.stream(index, sink);
        }
    }

    /**
     * A variable widened or narrowed to float32 by the reader (which verifies its checksum) and, for a TF kernel
     * ({@code [in, out]}), transposed to PyTorch's {@code [out, in]}, into {@code dst} from index 0.
     */
    static void decodeInto(TfCheckpoint checkpoint, TensorInfo info, boolean transpose, KernelTransposer transposer, FloatBuffer dst) {
        float[] values = checkpoint.readFloats(info.name());
        if (transpose) {
            transposer.transpose(FloatBuffer.wrap(values), Math.toIntExact(info.shape()[0]), Math.toIntExact(info.shape()[1]), dst);
        } else {
            dst.put(0, values);
        }
    }

    /** HF-orientation float32 LE bytes of one variable, whole. */
    public static ByteBuffer float32(TfCheckpoint checkpoint, TensorInfo info, boolean transpose) {
        if (!transpose && info.knownDtype().orElse(null) == DType.FLOAT32) {
            return checkpoint.readBytes(info); // stored bytes are already what safetensors wants
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(info.numElements() * 4)).order(ByteOrder.LITTLE_ENDIAN);
        decodeInto(checkpoint, info, transpose, new KernelTransposer(), bytes.asFloatBuffer());
        return bytes;
    }
}
