package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.hf.io.SequentialFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes tensors as one safetensors file: header with {@code __metadata__ {"format":"pt"}} padded so the data starts
 * page-aligned, then each tensor's bytes back to back in the given order. Values are pulled from each tensor's
 * payload only when its turn comes (the source may read a few ahead), so memory does not grow with the model.
 */
public final class SafetensorsWriter {
    private static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    private SafetensorsWriter() {}

    /** The header these tensors get: offsets assigned in order. */
    public static SafetensorsHeader headerFor(List<OutputTensor> tensors, DType dtype) {
        List<SafetensorsEntry> entries = new ArrayList<>();
        long offset = 0;
        for (OutputTensor t : tensors) {
            long bytes = Math.multiplyExact(t.numElements(), dtype.byteSize());
            entries.add(new SafetensorsEntry(t.name(), dtype, t.shape(), offset, offset + bytes));
            offset += bytes;
        }
        return new SafetensorsHeader(PYTORCH_METADATA, entries);
    }

    public static void write(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        SafetensorsHeader header = headerFor(tensors, dtype);
        try (SequentialFileWriter out = SequentialFileWriter.create(file)) {
            out.write(header.encode());
            for (int i = 0; i < tensors.size(); i++) {
                OutputTensor t = tensors.get(i);
                long[] written = {0};
                t.payload().stream(chunk -> {
                    written[0] += out.write(dtype.encode(chunk));
                });
                long expected = header.entries().get(i).byteSize();
                if (written[0] != expected) {
                    throw new IllegalStateException("tensor " + t.name() + " produced " + written[0] + " bytes, expected " + expected);
                }
                progress.wrote(t.name(), expected);
            }
            out.finish();
        }
    }
}
