package io.electraconvert.cli;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.electra.ConfigResolver;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.electra.ModelLayout;
import io.electraconvert.hf.electra.TaskHead;
import io.electraconvert.hf.electra.TensorShapes;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inspect CKPT [--json]}: what a checkpoint holds and what electra-convert recognises in it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a TensorFlow checkpoint: every tensor (dtype, shape, bytes, shard) and, for ELECTRA "
                + "checkpoints, which of google-research/electra's variants wrote it (pretraining with which networks, fine-tuned with which "
                + "tasks, masked-LM only, Electric, ...) and what each --model choice converts into: the class, the config "
                + "with where each value comes from (tensor shapes, hparams, the .meta graph, a default rule), what it "
                + "drops, or why it is refused.",
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

    @Option(names = "--hparams", paramLabel = "FILE", description = "google-research/electra hparams JSON or BERT-style "
            + "config JSON, as convert takes it (default: hparams.json beside the checkpoint, if any).")
    Path hparams;

    @Spec
    CommandSpec spec;

    /** Each convertible choice's provenance as text lines, by the choice's node of the report. */
    private final Map<JsonNode, List<String>> sourceLines = new IdentityHashMap<>();

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

    private ObjectNode report(TfCheckpoint ckpt) {
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

    /** What the checkpoint is, and for each choice what a conversion makes (config, provenance, drops) or why not. */
    private ObjectNode electra(TfCheckpoint ckpt) {
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(TensorShapes.of(ckpt.indexFile(), ckpt.tensors()));
        ObjectNode n = JsonMappers.PRETTY.createObjectNode();
        n.put("recognised", model.isElectra());
        n.put("kind", model.kind().name().toLowerCase(Locale.ROOT));
        n.put("description", model.describe());
        if (!model.isElectra()) {
            return n;
        }
        ConfigResolver.Evidence evidence;
        String evidenceError = null;
        try {
            evidence = ConfigResolver.Evidence.locate(ckpt.prefix(), Optional.ofNullable(hparams).map(Hparams::read));
            evidence.hparams().ifPresent(h -> n.put("hparams", h.file().toString())
                    .put("hparams_found_beside_checkpoint", h.foundBesideCheckpoint()));
            evidence.graph().ifPresent(g -> n.put("meta_graph", g.file().toString()));
        } catch (ElectraConvertException e) {
            evidence = ConfigResolver.Evidence.NONE;
            evidenceError = e.getMessage();
        }
        if (model.kind() == ElectraCheckpointModel.Kind.FINETUNED) {
            ArrayNode tasks = n.putArray("tasks");
            for (TaskHead task : model.tasks()) {
                ObjectNode t = tasks.addObject().put("name", task.name()).put("scope", task.scope())
                        .put("variables", task.listVariables());
                task.original().ifPresent(o -> t.put("type", o.type().cliName()).put("defined_by", o.definedBy()));
            }
        }
        ArrayNode choices = n.putArray("choices");
        for (ModelChoice choice : model.choices()) {
            ObjectNode c = choices.addObject().put("model", choice.cliName());
            if (choice instanceof ModelChoice.Task t) {
                c.put("task", t.name().orElseThrow());
            }
            if (evidenceError != null) {
                c.put("convertible", false).put("message", evidenceError);
                continue;
            }
            try {
                ModelLayout layout = ConfigResolver.resolve(model, model.require(choice), evidence);
                ConversionPlan plan = ConversionPlanner.plan(model, layout);
                c.put("convertible", true);
                c.put("architecture", plan.config().architectures().get(0));
                c.set("config", JsonParts.config(plan.config()));
                c.set("provenance", ProvenanceText.json(plan.provenance()));
                sourceLines.put(c, ProvenanceText.lines(plan.provenance(), true));
                ProvenanceText.warning(plan.provenance()).ifPresent(w -> c.put("warning", w.substring("warning: ".length())));
                c.put("mapped", plan.tensors().size());
                c.set("dropped", JsonParts.dropped(plan.dropped()));
            } catch (ElectraConvertException e) {
                c.put("convertible", false).put("message", e.getMessage());
            }
        }
        return n;
    }

    private static String dropped(com.fasterxml.jackson.databind.JsonNode reasons) {
        StringBuilder dropped = new StringBuilder();
        reasons.fields().forEachRemaining(d -> dropped.append(dropped.length() > 0 ? ", " : "")
                .append(d.getValue().get("count").asInt()).append(' ').append(d.getValue().get("message").asText()));
        return dropped.length() > 0 ? dropped.toString() : "nothing";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private void printText(ObjectNode r, PrintWriter out) {
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
            out.println("ELECTRA: not an ELECTRA checkpoint (no electra/ body, generator/ tower or task_specific/ head)");
            return;
        }
        out.printf(Locale.ROOT, "ELECTRA: %s%n", electra.get("description").asText());
        out.printf(Locale.ROOT, "config sources: tensor shapes; %s; %s%n", electra.has("hparams") ? "hparams " + electra.get("hparams").asText()
                + (electra.get("hparams_found_beside_checkpoint").asBoolean() ? " (found beside the checkpoint)" : "")
                : "no hparams (--hparams, or hparams.json beside the checkpoint)",
                electra.has("meta_graph") ? "graph " + electra.get("meta_graph").asText() : "no .meta graph");
        electra.path("tasks").forEach(t -> out.printf(Locale.ROOT, "task %s: %s%s%n", t.get("name").asText(), t.get("variables").asText(),
                t.has("type") ? " (" + t.get("type").asText() + ", " + t.get("defined_by").asText() + ")"
                        : " (not a task google-research/electra defines)"));
        for (var c : electra.get("choices")) {
            String option = "--model " + c.get("model").asText() + (c.has("task") ? " --task " + c.get("task").asText() : "");
            if (!c.get("convertible").asBoolean()) {
                out.printf(Locale.ROOT, "%s: refused: %s%n", option, c.get("message").asText());
                continue;
            }
            StringBuilder config = new StringBuilder();
            c.get("config").fields().forEachRemaining(e -> config.append(config.length() > 0 ? ", " : "")
                    .append(e.getKey()).append('=').append(e.getValue().isArray() ? e.getValue().toString() : e.getValue().asText()));
            out.printf(Locale.ROOT, "%s -> %s%n  config: %s%n", option, c.get("architecture").asText(), config);
            out.printf(Locale.ROOT, "  maps %d variables; drops %s%n", c.get("mapped").asInt(), dropped(c.get("dropped")));
            sourceLines.get(c).forEach(line -> out.println("  " + line));
            if (c.has("warning")) {
                out.println("  warning: " + c.get("warning").asText());
            }
        }
    }
}
