package io.electraconvert.hf.weights;

import io.electraconvert.tensor.DType;
import io.electraconvert.tensor.HalfPrecision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, per tensor, the largest |x - narrow(x)| a float16/bfloat16 conversion introduces, by watching the float32
 * values as they stream to the writers. Values that overflow to infinity count as infinite error.
 */
public final class RoundingErrorMeter {
    private final DType dtype;
    private final Map<String, Double> maxError = Collections.synchronizedMap(new LinkedHashMap<>());

    public RoundingErrorMeter(DType dtype) {
        this.dtype = dtype;
    }

    /** The tensors with payloads that report to this meter as they stream (unchanged for float32). */
    public List<OutputTensor> watch(List<OutputTensor> tensors) {
        if (dtype == DType.FLOAT32) {
            return tensors;
        }
        List<OutputTensor> watched = new ArrayList<>();
        for (OutputTensor t : tensors) {
            TensorPayload inner = t.payload();
            watched.add(new OutputTensor(t.name(), t.shape(), new TensorPayload() {
                @Override
                public ByteBuffer float32LittleEndian() {
                    ByteBuffer all = inner.float32LittleEndian();
                    record(t.name(), all);
                    return all;
                }

                @Override
                public void stream(ChunkSink sink) throws IOException {
                    inner.stream(chunk -> {
                        record(t.name(), chunk);
                        sink.accept(chunk);
                    });
                }
            }));
        }
        return watched;
    }

    private void record(String name, ByteBuffer chunk) {
        FloatBuffer values = chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        double max = 0;
        while (values.hasRemaining()) {
            float x = values.get();
            float narrowed = dtype == DType.FLOAT16 ? HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(x))
                    : HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(x));
            max = Math.max(max, Math.abs((double) x - narrowed));
        }
        maxError.merge(name, max, Math::max);
    }

    /** Largest rounding error per tensor, in write order. */
    public Map<String, Double> maxErrors() {
        synchronized (maxError) {
            return Map.copyOf(maxError);
        }
    }
}
