package io.electraconvert.hf.electra;

import java.util.List;
import java.util.Objects;

/**
 * One config value with where it comes from: {@code sources} in order of precedence, the first giving the value,
 * the others agreeing with it (a disagreement is an error before any value is made).
 *
 * @param key   the {@code config.json} name ({@code num_attention_heads}, {@code id2label}, ...)
 * @param value the value as {@code config.json} holds it (an Integer, a String, a list of label names)
 */
public record ConfigValue(String key, Object value, List<ConfigSource> sources) {
    public ConfigValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(key + " has no source");
        }
    }

    /** The source that gives the value. */
    public ConfigSource source() {
        return sources.get(0);
    }

    /** Read from something describing the model, not only a default rule. */
    public boolean verified() {
        return sources.stream().anyMatch(ConfigSource::certain);
    }
}
