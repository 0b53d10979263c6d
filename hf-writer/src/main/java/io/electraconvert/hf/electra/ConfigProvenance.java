package io.electraconvert.hf.electra;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every config value a conversion writes that depends on the checkpoint, with its sources, in config order. */
public record ConfigProvenance(List<ConfigValue> values) {
    public ConfigProvenance {
        values = List.copyOf(values);
    }

    public Optional<ConfigValue> find(String key) {
        return values.stream().filter(v -> v.key().equals(key)).findFirst();
    }

    public ConfigValue get(String key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException("no config value " + key));
    }

    /** The values that come only from a default rule. */
    public List<ConfigValue> unverified() {
        return values.stream().filter(v -> !v.verified()).toList();
    }

    /** This provenance with {@code value} replacing the value of the same key in its place, or added at the end. */
    public ConfigProvenance with(ConfigValue value) {
        List<ConfigValue> next = new ArrayList<>(values);
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).key().equals(value.key())) {
                next.set(i, value);
                return new ConfigProvenance(next);
            }
        }
        next.add(value);
        return new ConfigProvenance(next);
    }
}
