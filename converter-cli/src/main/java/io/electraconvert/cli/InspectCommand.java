package io.electraconvert.cli;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.TensorShapes;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inspect CKPT [--json]}: what a checkpoint holds and what electra-convert recognises in it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a TensorFlow checkpoint: every tensor (dtype, shape, bytes, shard) and, for ELECTRA "
                + "pretraining checkpoints, the networks found, the config inferred for each and what a conversion drops.",
                "Works on any TF V2 checkpoint (e.g. BERT) as a generic inspector.",
                "Given a converted HuggingFace folder instead, shows its config, weight files (any format), tensors and a "
                + "validation verdict (files pass the reference readers' checks; keys and shapes are what transformers "
                + "expects for the config); exit 1 when invalid."},
        footer = {"", "Examples:", "  electra-convert inspect testdata/checkpoints/small",
                "  electra-convert inspect model_dir/model.ckpt-1000000 --json > ckpt.json",
                "  electra-convert inspect out/small-discriminator"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CKPT|DIR", description = "Checkpoint prefix (model.ckpt-N), its .index file, a checkpoint "
            + "directory, or a converted HuggingFace model folder.")
    Path checkpoint;

    @Option(names = "--json", description = "Print the report as a JSON document (docs/json.md) instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(checkpoint) && !Files.exists(checkpoint.resolveSibling(checkpoint.getFileName() + ".index"))) {
            throw new BadInputException(checkpoint + ": no such file or directory");
        }
        if (HfModelFolder.looksLikeModelFolder(checkpoint)) {
            return new HfFolderInspection(checkpoint).print(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        }
        try (TfCheckpoint ckpt = TfCheckpoint.open(checkpoint)) {
            ObjectNode report = report(ckpt);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, report);
            } else {
                printText(report, out);
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    private static ObjectNode report(TfCheckpoint ckpt) {
        ObjectNode root = JsonKind.CHECKPOINT_INSPECTION.start();
        root.put("checkpoint", ckpt.prefix().toString());
        root.put("index", ckpt.indexFile().toString());
        root.put("big_endian", ckpt.bigEndian());
        ArrayNode shards = root.putArray("shards");
        for (Path file : ckpt.dataFiles()) {
            shards.addObject().put("file", file.getFileName().toString()).put("bytes", size(file));
        }
        ArrayNode tensors = root.putArray("tensors");
        for (TensorInfo t : ckpt.tensors()) {
            ObjectNode n = tensors.addObject();
            n.put("name", t.name()).put("dtype", t.dtypeName());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            n.put("bytes", t.size()).put("shard", t.shardId()).put("offset", t.offset());
            if (t.sliced()) {
                n.put("sliced", true);
            }
        }
        root.put("tensor_count", ckpt.tensors().size());
        root.put("tensor_bytes", ckpt.totalTensorBytes());
        root.set("electra", electra(ckpt));
        return root;
    }

    private static ObjectNode electra(TfCheckpoint ckpt) {
        TensorShapes shapes = TensorShapes.of(ckpt.indexFile(), ckpt.tensors());
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(shapes);
        ObjectNode n = JsonMappers.PRETTY.createObjectNode();
        n.put("recognised", model.isElectra());
        ObjectNode networks = n.putObject("networks");
        for (ElectraNetwork network : model.networks()) {
            ObjectNode net = networks.putObject(network.cliName());
            net.put("architecture", network.hfArchitecture());
            try {
                ConversionPlan plan = ConversionPlanner.plan(shapes, model.require(network));
                net.put("convertible", true);
                net.set("config", JsonParts.configSizes(plan.config()));
                net.put("mapped", plan.tensors().size());
                net.set("dropped", JsonParts.dropped(plan.dropped()));
            } catch (ElectraConvertException e) {
                net.put("convertible", false).put("message", e.getMessage());
            }
        }
        return n;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void printText(ObjectNode r, PrintWriter out) {
        out.printf(Locale.ROOT, "checkpoint  %s%n", r.get("checkpoint").asText());
        out.printf(Locale.ROOT, "shards      %d%s%n", r.get("shards").size(), r.get("big_endian").asBoolean() ? " (big-endian)" : "");
        r.get("shards").forEach(s -> out.printf(Locale.ROOT, "  %-44s %,d bytes%n", s.get("file").asText(), s.get("bytes").asLong()));
        out.printf(Locale.ROOT, "tensors     %d, %,d bytes%n%n", r.get("tensor_count").asInt(), r.get("tensor_bytes").asLong());
        int width = 4;
        for (var t : r.get("tensors")) {
            width = Math.max(width, t.get("name").asText().length());
        }
        out.printf(Locale.ROOT, "%-" + width + "s  %-8s  %-14s  %12s  %s%n", "name", "dtype", "shape", "bytes", "shard");
        for (var t : r.get("tensors")) {
            StringBuilder shape = new StringBuilder("[");
            t.get("shape").forEach(d -> shape.append(shape.length() > 1 ? "," : "").append(d.asLong()));
            out.printf(Locale.ROOT, "%-" + width + "s  %-8s  %-14s  %,12d  %d%s%n", t.get("name").asText(), t.get("dtype").asText(),
                    shape.append(']'), t.get("bytes").asLong(), t.get("shard").asInt(), t.has("sliced") ? "  (sliced)" : "");
        }
        out.println();
        ObjectNode electra = (ObjectNode) r.get("electra");
        if (!electra.get("recognised").asBoolean()) {
            out.println("ELECTRA: not an ELECTRA pretraining checkpoint (no electra/ or generator/ tower with its head)");
            return;
        }
        electra.get("networks").fields().forEachRemaining(e -> {
            var net = e.getValue();
            if (!net.get("convertible").asBoolean()) {
                out.printf(Locale.ROOT, "%s: cannot be converted: %s%n", e.getKey(), net.get("message").asText());
                return;
            }
            StringBuilder config = new StringBuilder();
            net.get("config").fields().forEachRemaining(c -> config.append(config.length() > 0 ? ", " : "")
                    .append(c.getKey()).append('=').append(c.getValue().asText()));
            out.printf(Locale.ROOT, "%s -> %s%n  config: %s%n  maps %d variables", e.getKey(), net.get("architecture").asText(),
                    config, net.get("mapped").asInt());
            StringBuilder dropped = new StringBuilder();
            net.get("dropped").fields().forEachRemaining(d -> dropped.append(dropped.length() > 0 ? ", " : "")
                    .append(d.getValue().get("count").asInt()).append(' ').append(d.getValue().get("message").asText()));
            out.printf(Locale.ROOT, "; drops %s%n", dropped.length() > 0 ? dropped : "nothing");
        });
        out.println("  (heads follow google-research/electra's max(1, hidden // 64); pass --hparams to convert if yours differ)");
    }
}
