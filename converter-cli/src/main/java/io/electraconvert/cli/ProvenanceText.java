package io.electraconvert.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.electra.ConfigProvenance;
import io.electraconvert.hf.electra.ConfigSource;
import io.electraconvert.hf.electra.ConfigValue;
import io.electraconvert.hf.json.JsonMappers;
import io.electraconvert.hf.electra.DropReason;
import io.electraconvert.hf.electra.DroppedVariable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How {@code convert} and {@code inspect} show where config values came from, and warn about guessed ones. */
final class ProvenanceText {
    private ProvenanceText() {}

    /**
     * One line for the values the tensor shapes give, then one per other value ({@code layer_norm_eps}, fixed by
     * the original's code, only when {@code everything}).
     */
    static List<String> lines(ConfigProvenance provenance, boolean everything) {
        List<String> lines = new ArrayList<>();
        List<ConfigValue> shaped = provenance.values().stream()
                .filter(v -> v.source().kind() == ConfigSource.Kind.TENSOR_SHAPES).toList();
        if (!shaped.isEmpty()) {
            List<String> agreeing = shaped.stream().flatMap(v -> v.sources().stream().skip(1))
                    .map(s -> s.file().map(Object::toString).orElse(s.describe())).distinct().toList();
            lines.add(shaped.stream().map(ConfigValue::key).collect(Collectors.joining(", ")) + ": tensor shapes"
                    + (agreeing.isEmpty() ? "" : " (" + String.join(", ", agreeing) + " agrees)"));
        }
        for (ConfigValue v : provenance.values()) {
            ConfigSource.Kind kind = v.source().kind();
            if (kind == ConfigSource.Kind.TENSOR_SHAPES || (kind == ConfigSource.Kind.CODE && !everything)) {
                continue;
            }
            lines.add(v.key() + " " + shown(v.value()) + ": " + v.sources().stream().map(ConfigSource::describe)
                    .collect(Collectors.joining("; agrees: ")));
        }
        return lines;
    }

    /**
     * The one-line warning about values only a default rule gives, saying how to make them certain; empty when every
     * value was read from something describing the model.
     */
    static Optional<String> warning(ConfigProvenance provenance) {
        List<ConfigValue> unverified = provenance.unverified();
        if (unverified.isEmpty()) {
            return Optional.empty();
        }
        List<String> model = unverified.stream().filter(v -> !v.key().equals("id2label"))
                .map(v -> v.key() + " " + shown(v.value())).toList();
        List<String> advice = new ArrayList<>();
        if (!model.isEmpty()) {
            advice.add(String.join(" and ", model) + (model.size() == 1 ? " is only google-research/electra's default"
                    : " are only google-research/electra's defaults") + ", not read from this checkpoint: pass --hparams "
                    + "with the hparams it was trained with (or keep them as hparams.json beside it, or keep its "
                    + "model.ckpt-N.meta) to make " + (model.size() == 1 ? "it" : "them") + " certain");
        }
        if (unverified.stream().anyMatch(v -> v.key().equals("id2label"))) {
            advice.add("the label names are transformers' LABEL_0, LABEL_1, ...: pass --labels with the task's labels "
                    + "in output order");
        }
        return Optional.of("warning: " + String.join("; ", advice));
    }

    /** Lines about variables whose absence changes what the converted model computes. */
    static List<String> droppedWarnings(List<DroppedVariable> dropped) {
        List<String> answerable = dropped.stream().filter(d -> d.reason() == DropReason.ANSWERABLE_CLASSIFIER)
                .map(DroppedVariable::tfName).toList();
        return answerable.isEmpty() ? List.of() : List.of("warning: dropped SQuAD 2.0's answerable classifier ("
                + String.join(", ", answerable) + "): ElectraForQuestionAnswering has no place for it, so no-answer "
                + "decisions made with it will differ");
    }

    /** Lines about dropped variables worth knowing, for the summary. */
    static List<String> droppedNotes(List<DroppedVariable> dropped) {
        long electric = dropped.stream().filter(d -> d.reason() == DropReason.TWO_TOWER_GENERATOR).count();
        return electric == 0 ? List.of() : List.of("note: dropped Electric's two-tower cloze generator (" + electric
                + " variables): the logits are the discriminator's raw ones, before the original adds "
                + "log q(token) + log(mask_prob / (1 - mask_prob))");
    }

    /** {@code {"key": {"value", "verified", "sources": [{"kind", "file", "detail"}]}}}. */
    static ObjectNode json(ConfigProvenance provenance) {
        ObjectNode root = JsonMappers.PRETTY.createObjectNode();
        for (ConfigValue v : provenance.values()) {
            ObjectNode value = root.putObject(v.key());
            value.set("value", JsonMappers.PRETTY.valueToTree(v.value()));
            value.put("verified", v.verified());
            ArrayNode sources = value.putArray("sources");
            for (ConfigSource s : v.sources()) {
                ObjectNode source = sources.addObject().put("kind", s.kind().jsonName());
                s.file().ifPresent(f -> source.put("file", f.toString()));
                source.put("detail", s.detail());
            }
        }
        return root;
    }

    private static String shown(Object value) {
        if (value instanceof Double d) { // 1e-12, not Java's 1.0E-12
            return new BigDecimal(d.toString()).stripTrailingZeros().toString().toLowerCase(Locale.ROOT).replace("+", "");
        }
        return value instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(", "))
                : String.valueOf(value);
    }
}
