package io.electraconvert.hf.convert;

import io.electraconvert.hf.io.TensorSource;
import io.electraconvert.hf.io.ReadAhead;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.TensorPayload;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan's variables as output tensors whose values are read (and checksum-verified) only when written. Streamed
 * tensors come from a {@link ReadAhead} that reads, verifies and transposes them on worker threads ahead of the
 * writer, in bounded memory whatever the model's size. Close it to stop the workers.
 */
public final class CheckpointTensors implements AutoCloseable {
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
        List<TensorSource> streamed = new ArrayList<>();
        for (SchemaTensor t : plan.tensors()) {
            variable(checkpoint, plan, t.source()).ifPresent(streamed::add);
        }
        ReadAhead readAhead = ReadAhead.sized(checkpoint, streamed, Runtime.getRuntime().maxMemory());
        List<OutputTensor> out = new ArrayList<>();
        int next = 0;
        for (SchemaTensor t : plan.tensors()) {
            TensorPayload payload = variable(checkpoint, plan, t.source()).isPresent()
                    ? new Streamed(checkpoint, streamed.get(next), readAhead, next++)
                    : new Made(checkpoint, plan, t);
            out.add(new OutputTensor(t.key(), t.shape(), payload));
        }
        if (readNow) {
            readAhead.startAt(0);
        }
        return new CheckpointTensors(List.copyOf(out), readAhead);
    }

    /** A source that is one variable, copied or transposed: what the read-ahead streams. */
    private static Optional<TensorSource> variable(TfCheckpoint checkpoint, ConversionPlan plan, TfSource source) {
        if (source instanceof TfSource.Copy c) {
            return Optional.of(new TensorSource(checkpoint.info(plan.tfName(c.variable())), false));
        }
        if (source instanceof TfSource.Transpose t) {
            return Optional.of(new TensorSource(checkpoint.info(plan.tfName(t.variable())), true));
        }
        return Optional.empty();
    }

    public List<OutputTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        readAhead.close();
    }

    private record Streamed(TfCheckpoint checkpoint, TensorSource source, ReadAhead readAhead, int index)
            implements TensorPayload {
        @Override
        public ByteBuffer float32LittleEndian() {
            return source.float32(checkpoint);
        }

        @Override
        public void stream(ChunkSink sink) throws IOException {
            readAhead.stream(index, sink);
        }
    }

    /** A tensor made from variables (a few small head tensors): computed whole when written. */
    private record Made(TfCheckpoint checkpoint, ConversionPlan plan, SchemaTensor tensor) implements TensorPayload {
        @Override
        public ByteBuffer float32LittleEndian() {
            float[] values = MadeTensors.values(checkpoint, plan, tensor);
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            return bytes;
        }
    }
}
