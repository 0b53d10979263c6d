package io.electraconvert.cli;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.hf.schema.ElectraSchema;
import io.electraconvert.hf.schema.HeadKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** {@code inspect DIR} for a converted HuggingFace folder: config, weight files, tensors and a validation verdict. */
final class HfFolderInspection {
    private final Path dir;

    HfFolderInspection(Path dir) {
        this.dir = dir;
    }

    int print(PrintWriter out, PrintWriter err, boolean json) throws IOException {
        ObjectNode report = JsonKind.FOLDER_INSPECTION.start();
        report.put("folder", dir.toAbsolutePath().toString());
        ArrayNode problems = JsonMappers.PRETTY.createArrayNode();
        Optional<ElectraConfig> config = Optional.empty();
        try {
            config = HfModelFolder.readConfig(dir);
        } catch (ElectraConvertException e) {
            problem(problems, null, e.getMessage());
        }
        config.ifPresent(c -> {
            ObjectNode summary = report.putObject("config");
            c.architectures().forEach(summary.putArray("architectures")::add);
            summary.setAll(JsonParts.config(c));
            summary.put("dtype", c.dtype());
        });
        if (config.isEmpty() && problems.isEmpty()) {
            problem(problems, null, "no config.json");
        }
        // every format present is checked: transformers loads the first, but a stale or damaged second one is a trap
        ArrayNode formats = report.putArray("formats");
        ArrayNode files = report.putArray("files");
        List<String> present = HfModelFolder.formatsPresent(dir);
        if (present.isEmpty()) {
            problem(problems, null, "no weights file (" + String.join(", ", WeightsFormats.all().stream()
                    .map(WeightsFormat::singleFileName).toList()) + " or a sharded index)");
        }
        for (String format : present) {
            ObjectNode f = formats.addObject().put("format", format);
            try (HfModelFolder folder = HfModelFolder.open(dir, Optional.of(format))) {
                String single = WeightsFormats.byName(format).orElseThrow().singleFileName();
                f.put("sharded", folder.files().size() != 1 || !folder.files().get(0).getFileName().toString().equals(single));
                for (Path file : folder.files()) {
                    files.addObject().put("file", file.getFileName().toString()).put("bytes", Files.size(file)).put("format", format);
                }
                if (!report.has("tensors")) { // the ones transformers loads
                    ArrayNode tensors = report.putArray("tensors");
                    for (StoredTensor t : folder.tensors().values()) {
                        ObjectNode n = tensors.addObject().put("name", t.name()).put("dtype", t.dtype().safetensorsName());
                        ArrayNode shape = n.putArray("shape");
                        Arrays.stream(t.shape()).forEach(shape::add);
                        n.put("bytes", t.bytes()).put("file", t.file());
                    }
                    report.put("tensors_from", format);
                    report.put("tensor_bytes", folder.tensors().values().stream().mapToLong(StoredTensor::bytes).sum());
                }
                config.ifPresent(c -> stateDictProblems(c, folder.tensors()).forEach(p -> problem(problems, format, format + " weights: " + p)));
            } catch (ElectraConvertException e) {
                problem(problems, format, e.getMessage());
            }
        }
        report.put("valid", problems.isEmpty());
        report.set("problems", problems);
        if (json) {
            JsonOutput.print(out, report);
        } else {
            printText(report, out);
            out.flush();
        }
        if (!problems.isEmpty()) {
            err.println("electra-convert: " + dir + ": invalid model folder: "
                    + ElectraConvertException.oneLine(problems.get(0).get("message").asText())
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    /** A problem found, and the format whose weights have it ({@code null}: the folder's config or files). */
    private static void problem(ArrayNode problems, String format, String message) {
        problems.addObject().put("format", format).put("message", message);
    }

    /** Keys and shapes against what transformers builds for the config's architecture. */
    private static List<String> stateDictProblems(ElectraConfig config, Map<String, StoredTensor> tensors) {
        List<String> problems = new ArrayList<>();
        // the multiple-choice head's summary layers depend on settings the schema does not model: not ours to judge
        Optional<HeadKind> head = config.architectures().stream().map(HeadKind::ofArchitecture).flatMap(Optional::stream)
                .filter(h -> h != HeadKind.MULTIPLE_CHOICE).findFirst();
        if (head.isEmpty()) {
            return problems;
        }
        // each layer has 16 tensors: a config claiming more layers than the weights could hold is judged before
        // listing what it expects (2^31 layers would not fit in memory)
        long layerTensors = tensors.keySet().stream().filter(k -> k.contains("encoder.layer.")).count();
        if ((long) config.numHiddenLayers() * 16 > layerTensors) {
            problems.add("config.json says num_hidden_layers " + config.numHiddenLayers() + " but the weights hold "
                    + layerTensors + " encoder tensors (" + layerTensors / 16 + " layers)");
            return problems;
        }
        Map<String, long[]> expected = ElectraSchema.shapes(config, head.get());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            StoredTensor t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", config needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String key : tensors.keySet()) {
            if (!expected.containsKey(key) && !ElectraSchema.TIED_KEYS.containsKey(key)) {
                problems.add("unexpected " + key);
            }
        }
        return problems;
    }

    private static void printText(ObjectNode r, PrintWriter out) {
        out.printf(Locale.ROOT, "folder      %s%n", r.get("folder").asText());
        for (var f : r.get("formats")) {
            String format = f.get("format").asText();
            long files = StreamSupport.stream(r.get("files").spliterator(), false).filter(file -> file.get("format").asText().equals(format)).count();
            out.printf(Locale.ROOT, "weights     %s%s%n", format, f.path("sharded").asBoolean() ? " (sharded, " + files + " files)" : "");
        }
        r.get("files").forEach(f -> out.printf(Locale.ROOT, "  %-44s %,d bytes%n", f.get("file").asText(), f.get("bytes").asLong()));
        if (r.has("config")) {
            StringBuilder c = new StringBuilder();
            r.get("config").fields().forEachRemaining(e -> c.append(c.length() > 0 ? ", " : "").append(e.getKey()).append('=')
                    .append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            out.printf(Locale.ROOT, "config      %s%n", c);
        }
        out.printf(Locale.ROOT, "tensors     %d, %,d bytes%n%n", r.path("tensors").size(), r.path("tensor_bytes").asLong());
        int width = 4;
        for (var t : r.path("tensors")) {
            width = Math.max(width, t.get("name").asText().length());
        }
        for (var t : r.path("tensors")) {
            out.printf(Locale.ROOT, "%-" + width + "s  %-5s  %-14s  %,12d  %s%n", t.get("name").asText(), t.get("dtype").asText(),
                    t.get("shape").toString(), t.get("bytes").asLong(), t.get("file").asText());
        }
        out.println();
        if (r.get("valid").asBoolean()) {
            out.println("verdict     valid: every weight file passes its reference reader's checks; keys and shapes match the config");
        } else {
            out.println("verdict     INVALID:");
            r.get("problems").forEach(p -> out.println("  - " + p.get("message").asText()));
        }
    }
}
