package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.hf.weights.WeightsFormat;

/** {@code model.safetensors}, the format current transformers prefers. */
public final class SafetensorsFormat {
    public static final WeightsFormat FORMAT = new WeightsFormat("safetensors", "model.safetensors, what transformers loads first", "model.safetensors",
            true, true, SafetensorsWriter::write, SafetensorsFile::open);

    private SafetensorsFormat() {}
}
