package io.electraconvert.hf.convert;

import io.electraconvert.hf.mapping.ConversionPlan;
import io.electraconvert.hf.mapping.ElectraStateDict;
import io.electraconvert.hf.mapping.MappedVariable;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.TensorPayload;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.tfreader.TfDType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The plan's variables as output tensors whose values are read (and checksum-verified) only when written. */
public final class CheckpointTensors {
    /** Chunk size for streamed copies: large enough for disk speed, small enough to keep the heap flat. */
    static final int STREAM_CHUNK_BYTES = 4 << 20;

    private CheckpointTensors() {}

    public static List<OutputTensor> of(TfCheckpoint checkpoint, ConversionPlan plan) {
        Map<String, long[]> shapes = ElectraStateDict.expectedShapes(plan.config(), plan.network());
        List<OutputTensor> out = new ArrayList<>();
        for (MappedVariable m : plan.mapped()) {
            TensorInfo info = checkpoint.info(m.tfName());
            out.add(new OutputTensor(m.hfKey(), shapes.get(m.hfKey()), new Payload(checkpoint, info, m.transpose())));
        }
        return out;
    }

    /** Reads on demand; float32 tensors that need no transposition stream straight from the shard in chunks. */
    private record Payload(TfCheckpoint checkpoint, TensorInfo info, boolean transpose) implements TensorPayload {
        @Override
        public ByteBuffer float32LittleEndian() {
            return float32(checkpoint, info, transpose);
        }

        @Override
        public void stream(ChunkSink sink) throws IOException {
            if (!transpose && info.knownDtype().orElse(null) == TfDType.FLOAT) {
                checkpoint.streamBytes(info, STREAM_CHUNK_BYTES, sink::accept);
            } else {
                sink.accept(float32LittleEndian()); // a kernel must be whole to transpose; ELECTRA-large's largest is 16 MiB
            }
        }
    }

    /** HF-orientation float32 LE bytes of one variable. */
    public static ByteBuffer float32(TfCheckpoint checkpoint, TensorInfo info, boolean transpose) {
        if (!transpose && info.knownDtype().orElse(null) == TfDType.FLOAT) {
            return checkpoint.readBytes(info); // stored bytes are already what safetensors wants
        }
        float[] values = checkpoint.readFloats(info.name());
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (transpose) {
            int rows = Math.toIntExact(info.shape()[0]); // TF kernel [in, out] -> PyTorch weight [out, in]
            int cols = Math.toIntExact(info.shape()[1]);
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    bytes.putFloat(values[r * cols + c]);
                }
            }
        } else {
            bytes.asFloatBuffer().put(values);
        }
        return bytes.rewind();
    }
}
