package io.electraconvert.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.weights.WeightsFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Locale;

/** What {@code convert} tells about a finished conversion: a summary on stderr, or with {@code --json} a document. */
final class ConversionReport {
    private final ConversionRequest request;
    private final ConversionResult result;

    ConversionReport(ConversionRequest request, ConversionResult result) {
        this.request = request;
        this.result = result;
    }

    /** The {@code conversion} document (docs/schemas/conversion.schema.json). */
    ObjectNode json() throws IOException {
        ElectraConfig c = result.plan().config();
        ObjectNode root = JsonKind.CONVERSION.start();
        root.put("checkpoint", request.checkpoint().toString());
        root.put("network", request.network().cliName());
        root.put("architecture", c.architectures().get(0));
        root.put("out", request.out().toString());
        root.put("dtype", request.dtype().torchName());
        root.set("config", JsonParts.configSizes(c));
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
                        + "checkpoint variables%n", request.network().cliName(), request.out(), c.architectures().get(0),
                result.plan().tensors().size(), result.tensorBytesPerFormat(), request.dtype().torchName(),
                result.plan().dropped().size());
        err.printf(Locale.ROOT, "config: vocab %d, embedding %d, hidden %d, layers %d, heads %d, intermediate %d, positions %d%n",
                c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                c.intermediateSize(), c.maxPositionEmbeddings());
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
}
