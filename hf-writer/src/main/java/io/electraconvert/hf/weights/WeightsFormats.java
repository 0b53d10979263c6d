package io.electraconvert.hf.weights;

import io.electraconvert.hf.pytorch.PytorchFormat;
import io.electraconvert.hf.h5.KerasH5Format;
import io.electraconvert.hf.safetensors.SafetensorsFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The formats {@code --format} knows, by name. */
public final class WeightsFormats {
    private static final Map<String, WeightsFormat> BY_NAME = new LinkedHashMap<>();

    static {
        register(new SafetensorsFormat());
        register(new KerasH5Format());
        register(new PytorchFormat());
    }

    private WeightsFormats() {}

    private static void register(WeightsFormat format) {
        BY_NAME.put(format.name(), format);
    }

    public static WeightsFormat safetensors() {
        return BY_NAME.get("safetensors");
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static List<WeightsFormat> all() {
        return List.copyOf(BY_NAME.values());
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
