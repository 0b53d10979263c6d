package io.electraconvert.hf.formats;

import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.formats.pytorch.PytorchFormat;
import io.electraconvert.hf.formats.h5.KerasH5Format;
import io.electraconvert.hf.formats.safetensors.SafetensorsFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The weight formats, in the order transformers prefers them when a folder holds several: the one list that
 * {@code convert}, folder reading and every command's help and option checks follow.
 */
public final class WeightsFormats {
    private static final Map<String, WeightsFormat> BY_NAME = new LinkedHashMap<>();

    static {
        register(SafetensorsFormat.FORMAT);
        register(PytorchFormat.FORMAT);
        register(KerasH5Format.FORMAT);
    }

    private WeightsFormats() {}

    private static void register(WeightsFormat format) {
        BY_NAME.put(format.name(), format);
    }

    public static WeightsFormat safetensors() {
        return BY_NAME.get("safetensors");
    }

    public static List<WeightsFormat> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<WeightsFormat> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Parses a comma list such as {@code safetensors,pytorch}; duplicates are ignored. */
    public static List<WeightsFormat> parse(String commaList) {
        List<WeightsFormat> formats = new ArrayList<>();
        for (String part : commaList.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            WeightsFormat format = BY_NAME.get(name);
            if (format == null) {
                throw new IllegalArgumentException("unknown format '" + part.trim() + "' (expected "
                        + String.join(", ", BY_NAME.keySet()) + ")");
            }
            if (!formats.contains(format)) {
                formats.add(format);
            }
        }
        return List.copyOf(formats);
    }
}
