package io.electraconvert.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.electra.ConfigSource;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.weights.WeightsFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What {@code convert} tells about a finished conversion: a summary on stderr, or with {@code --json} a document. */
final class ConversionReport {
    private final ConversionRequest request;
    private final ConversionResult result;
    private final boolean hparamsFound;

    /** {@code hparamsFound}: no hparams file was named, so one that was used was found beside the checkpoint. */
    ConversionReport(ConversionRequest request, ConversionResult result, boolean hparamsFound) {
        this.request = request;
        this.result = result;
        this.hparamsFound = hparamsFound;
    }

    /** The {@code conversion} document (docs/schemas/conversion.schema.json). */
    ObjectNode json() throws IOException {
        ElectraConfig c = result.plan().config();
        ObjectNode root = JsonKind.CONVERSION.start();
        root.put("checkpoint", request.checkpoint().toString());
        root.put("model", request.model().cliName());
        root.put("task", request.model() instanceof ModelChoice.Task ? result.plan().model().task().orElseThrow().name() : null);
        root.put("architecture", c.architectures().get(0));
        root.put("out", request.out().toString());
        root.put("dtype", request.dtype().torchName());
        root.set("config", JsonParts.config(c));
        root.set("provenance", ProvenanceText.json(result.provenance()));
        root.put("tensor_count", result.plan().tensors().size());
        ObjectNode formats = root.putObject("formats");
        for (WeightsFormat format : request.formats()) {
            ObjectNode f = formats.putObject(format.name()).put("tensor_bytes", result.tensorBytesPerFormat());
            ArrayNode files = f.putArray("files");
            result.files().stream().filter(format::writes).forEach(files::add);
        }
        ArrayNode files = root.putArray("files");
        for (String name : result.files()) {
            files.addObject().put("file", name).put("bytes", Files.size(request.out().resolve(name)));
        }
        root.set("replaced_files", root.arrayNode().addAll(result.replacedFiles().stream().map(root::textNode).toList()));
        root.put("vocab", request.vocab().map(Object::toString).orElse(null));
        root.set("dropped", JsonParts.dropped(result.plan().dropped()));
        ObjectNode rounding = root.putObject("max_rounding_errors");
        result.maxRoundingErrors().forEach(rounding::put);
        return root;
    }

    /** The summary {@code convert} prints on stderr. */
    void print(PrintWriter err, boolean verbose) throws IOException {
        ElectraConfig c = result.plan().config();
        err.printf(Locale.ROOT, "converted %s -> %s (%s): %d tensors, %,d bytes of %s tensor data per format; dropped %d "
                        + "checkpoint variables%n", result.plan().model().choice().describe(), request.out(),
                c.architectures().get(0), result.plan().tensors().size(), result.tensorBytesPerFormat(),
                request.dtype().torchName(), result.plan().dropped().size());
        err.printf(Locale.ROOT, "config: vocab %d, embedding %d, hidden %d, layers %d, heads %d, intermediate %d, "
                        + "positions %d%s%n", c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.intermediateSize(), c.maxPositionEmbeddings(), labelsSummary(c));
        if (hparamsFound) {
            foundHparams().ifPresent(f -> err.println("  hparams: " + f + " (found beside the checkpoint)"));
        }
        ProvenanceText.lines(result.provenance(), false).forEach(line -> err.println("  " + line));
        ProvenanceText.droppedNotes(result.plan().dropped()).forEach(err::println);
        StringBuilder files = new StringBuilder();
        for (String name : result.files()) {
            files.append(files.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%s (%,d bytes)", name,
                    Files.size(request.out().resolve(name))));
        }
        err.println("files: " + files);
        if (!result.replacedFiles().isEmpty()) {
            err.println("replaced the previous model's " + String.join(", ", result.replacedFiles()));
        }
        if (verbose && !result.maxRoundingErrors().isEmpty()) {
            err.printf("largest %s rounding error per tensor:%n", request.dtype().torchName());
            result.maxRoundingErrors().forEach((name, e) -> err.printf(Locale.ROOT, "  %-60s %.3e%n", name, e));
        }
        err.flush();
    }

    /** The hparams file some config value was read from. */
    private Optional<Path> foundHparams() {
        return result.provenance().values().stream().flatMap(v -> v.sources().stream())
                .filter(s -> s.kind() == ConfigSource.Kind.HPARAMS).flatMap(s -> s.file().stream()).findFirst();
    }

    private static String labelsSummary(ElectraConfig c) {
        if (c.problemType() != null) {
            return ", " + c.problemType();
        }
        return c.labels().equals(ElectraConfig.DEFAULT_LABELS) ? "" : ", labels " + String.join(", ", c.labels());
    }
}
