package io.electraconvert.hf.convert;

import io.electraconvert.hf.io.TensorSource;
import io.electraconvert.hf.io.ReadAhead;
import io.electraconvert.hf.mapping.ConversionPlan;
import io.electraconvert.hf.mapping.ElectraStateDict;
import io.electraconvert.hf.mapping.MappedVariable;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.TensorPayload;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        Map<String, long[]> shapes = ElectraStateDict.expectedShapes(plan.config(), plan.network());
        List<TensorSource> sources = new ArrayList<>();
        for (MappedVariable m : plan.mapped()) {
            sources.add(new TensorSource(checkpoint.info(m.tfName()), m.transpose()));
        }
        ReadAhead readAhead = ReadAhead.sized(checkpoint, sources, Runtime.getRuntime().maxMemory());
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
            return source.float32(checkpoint);
        }

        @Override
        public void stream(ChunkSink sink) throws IOException {
            readAhead.stream(index, sink);
        }
    }
}
