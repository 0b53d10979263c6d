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

/**
 * The plan's variables as output tensors whose values are read (and checksum-verified) only when written. Streaming
 * keeps memory flat whatever the model's size: float32 tensors copy through in {@link #STREAM_CHUNK_BYTES} chunks,
 * kernels through one reused {@link KernelTransposer}.
 */
public final class CheckpointTensors {
    /** Chunk size for streamed copies: large enough for disk speed, small enough to keep the heap flat. */
    static final int STREAM_CHUNK_BYTES = 4 << 20;

    private CheckpointTensors() {}

    /** The tensors of one conversion; their payloads share buffers, so stream them one at a time. */
    public static List<OutputTensor> of(TfCheckpoint checkpoint, ConversionPlan plan) {
        Map<String, long[]> shapes = ElectraStateDict.expectedShapes(plan.config(), plan.network());
        KernelTransposer transposer = new KernelTransposer(STREAM_CHUNK_BYTES);
        // direct and reused: write(2) takes it without the JDK's bounce copy, and no per-tensor garbage
        ByteBuffer copyBuffer = ByteBuffer.allocateDirect(STREAM_CHUNK_BYTES);
        List<OutputTensor> out = new ArrayList<>();
        for (MappedVariable m : plan.mapped()) {
            TensorInfo info = checkpoint.info(m.tfName());
            out.add(new OutputTensor(m.hfKey(), shapes.get(m.hfKey()),
                    new Payload(checkpoint, info, m.transpose(), transposer, copyBuffer)));
        }
        return out;
    }

    private record Payload(TfCheckpoint checkpoint, TensorInfo info, boolean transpose, KernelTransposer transposer,
                           ByteBuffer copyBuffer) implements TensorPayload {
        @Override
        public ByteBuffer float32LittleEndian() {
            return float32(checkpoint, info, transpose);
        }

        @Override
        public void stream(ChunkSink sink) throws IOException {
            if (info.knownDtype().orElse(null) != TfDType.FLOAT) {
                sink.accept(float32LittleEndian()); // rare (half/bfloat16/double checkpoints): convert whole
            } else if (transpose) {
                transposer.stream(checkpoint, info, sink);
            } else {
                checkpoint.streamBytes(info, copyBuffer, sink::accept);
            }
        }
    }

    /** HF-orientation float32 LE bytes of one variable, whole. */
    public static ByteBuffer float32(TfCheckpoint checkpoint, TensorInfo info, boolean transpose) {
        if (!transpose && info.knownDtype().orElse(null) == TfDType.FLOAT) {
            return checkpoint.readBytes(info); // stored bytes are already what safetensors wants
        }
        float[] values = checkpoint.readFloats(info.name());
        if (transpose) {
            int rows = Math.toIntExact(info.shape()[0]); // TF kernel [in, out] -> PyTorch weight [out, in]
            int cols = Math.toIntExact(info.shape()[1]);
            float[] transposed = new float[values.length];
            KernelTransposer.transpose(values, rows, cols, 0, cols, transposed);
            values = transposed;
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes;
    }
}
