package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.tfreader.meta.MetaGraphFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settles a layout's config from everything that describes the model, and records where each value came from. In
 * order of precedence: the tensor shapes (sizes; any other source must agree), an hparams file ({@code --hparams},
 * or the {@code hparams.json} beside the checkpoint), the graph in the checkpoint's {@code .meta} file (heads and
 * activation; must agree with the hparams), and google-research/electra's default rules, which leave a value
 * unverified.
 */
public final class ConfigResolver {
    /** Config keys whose value a tensor shape gives. */
    private static final List<String> SHAPE_KEYS = List.of("vocab_size", "embedding_size", "hidden_size",
            "num_hidden_layers", "intermediate_size", "max_position_embeddings", "type_vocab_size");

    /**
     * What beside the tensors describes the model.
     *
     * @param hparams the file the user named, else {@code hparams.json} beside the checkpoint
     * @param graph   {@code <prefix>.meta}, which Estimator writes beside most checkpoints
     */
    public record Evidence(Optional<Hparams> hparams, Optional<MetaGraphFile> graph) {
        public static final Evidence NONE = new Evidence(Optional.empty(), Optional.empty());

        /**
         * The evidence for the checkpoint at {@code prefix}: {@code hparams} when given (nothing is looked for then),
         * else an {@code hparams.json} in the checkpoint's folder; and {@code <prefix>.meta} when it exists.
         */
        public static Evidence locate(Path prefix, Optional<Hparams> hparams) {
            Path folder = prefix.toAbsolutePath().getParent();
            Optional<Hparams> h = hparams;
            if (h.isEmpty() && folder != null && Files.isRegularFile(folder.resolve("hparams.json"))) {
                h = Optional.of(Hparams.found(prefix.resolveSibling("hparams.json")));
            }
            Path meta = prefix.resolveSibling(prefix.getFileName() + ".meta");
            return new Evidence(h, Files.isRegularFile(meta) ? Optional.of(MetaGraphFile.read(meta)) : Optional.empty());
        }
    }

    private ConfigResolver() {}

    public static ModelLayout resolve(ElectraCheckpointModel model, ModelLayout layout, Evidence evidence) {
        ConfigProvenance provenance = layout.provenance();
        String who = layout.choice().describe();
        Optional<Map<String, Hparams.Stated>> stated = Optional.empty();
        if (evidence.hparams().isPresent()) {
            Hparams hparams = evidence.hparams().get();
            if (!hparams.isBertStyle()) {
                hparams.checkKeys(model.kind() == ElectraCheckpointModel.Kind.FINETUNED
                        ? Hparams.Script.FINETUNING : Hparams.Script.PRETRAINING);
                checkVariant(model, hparams);
            }
            stated = Optional.of(hparams.stated(layout.tower()));
            for (String key : SHAPE_KEYS) {
                Hparams.Stated s = stated.get().get(key);
                if (s == null) {
                    continue;
                }
                ConfigValue fromTensors = provenance.get(key);
                if (!s.value().equals(fromTensors.value())) {
                    throw new BadInputException(hparams.file(), "hparams give the " + who + " " + key + " = " + s.value()
                            + " (" + s.how() + ") but the checkpoint's tensors have " + key + " = " + fromTensors.value()
                            + " (" + fromTensors.source().detail() + ")");
                }
                provenance = provenance.with(also(fromTensors, ConfigSource.hparams(hparams, s.how())));
            }
            for (String key : List.of("num_attention_heads", "hidden_act")) {
                Hparams.Stated s = stated.get().get(key);
                if (s != null) {
                    provenance = provenance.with(new ConfigValue(key, s.value(), List.of(ConfigSource.hparams(hparams, s.how()))));
                }
            }
        }
        if (evidence.graph().isPresent()) {
            MetaGraphFile graph = evidence.graph().get();
            String tower = layout.tf().tower();
            Optional<GraphFacts.Fact<Integer>> heads = GraphFacts.heads(graph, tower);
            if (heads.isPresent()) {
                provenance = fromGraph(provenance, "num_attention_heads", heads.get(), graph, stated, evidence, who);
            }
            Optional<GraphFacts.Fact<String>> act = GraphFacts.activation(graph, tower);
            if (act.isPresent()) {
                provenance = fromGraph(provenance, "hidden_act", act.get(), graph, stated, evidence, who);
            }
        }
        ElectraConfig config = layout.config();
        int heads = (Integer) provenance.get("num_attention_heads").value();
        if (config.hiddenSize() % heads != 0) {
            ConfigSource source = provenance.get("num_attention_heads").source();
            throw new BadInputException(source.file().orElse(model.shapes().source()), who + " num_attention_heads "
                    + heads + " (" + source.detail() + ") does not divide hidden_size " + config.hiddenSize());
        }
        return layout.withConfig(config.withHeadsAndActivation(heads, (String) provenance.get("hidden_act").value()),
                provenance);
    }

    /** The graph's value of {@code key}: it replaces a rule, and must equal what the hparams say. */
    private static <T> ConfigProvenance fromGraph(ConfigProvenance provenance, String key, GraphFacts.Fact<T> fact,
            MetaGraphFile graph, Optional<Map<String, Hparams.Stated>> stated, Evidence evidence, String who) {
        ConfigSource source = ConfigSource.graph(graph.file(), fact.node() + " = " + fact.shown());
        ConfigValue current = provenance.get(key);
        if (stated.isPresent() && stated.get().containsKey(key)) {
            if (!current.value().equals(fact.value())) {
                throw new BadInputException(evidence.hparams().orElseThrow().file(), "hparams give the " + who + " " + key
                        + " = " + current.value() + " (" + current.source().detail() + ") but the graph in " + graph.file()
                        + " has " + fact.value() + " (" + fact.node() + " = " + fact.shown() + ")");
            }
            return provenance.with(also(current, source));
        }
        return provenance.with(new ConfigValue(key, fact.value(), List.of(source)));
    }

    private static ConfigValue also(ConfigValue value, ConfigSource source) {
        List<ConfigSource> sources = new ArrayList<>(value.sources());
        sources.add(source);
        return new ConfigValue(value.key(), value.value(), sources);
    }

    /**
     * The variant google-research/electra hparams describe is the one the checkpoint's variables show: the same
     * networks ({@code electra_objective}, {@code electric_objective}, {@code untied_generator},
     * {@code uniform_generator}) or the same tasks ({@code task_names}, {@code joint_prediction}).
     */
    private static void checkVariant(ElectraCheckpointModel model, Hparams hparams) {
        if (model.kind() == ElectraCheckpointModel.Kind.FINETUNED) {
            Optional<List<String>> names = hparams.taskNames();
            Set<String> found = new TreeSet<>(model.tasks().stream().map(TaskHead::name).toList());
            if (names.isPresent() && !new TreeSet<>(names.get()).equals(found)) {
                throw new BadInputException(hparams.file(), "hparams give task_names " + names.get()
                        + " but the checkpoint has the task heads " + found + " (task_specific/<task>/*)");
            }
            if (hparams.states("joint_prediction")) {
                boolean joint = hparams.flag("joint_prediction", true);
                for (TaskHead task : model.tasks()) {
                    TaskHead.Structure s = task.structure();
                    if ((s == TaskHead.Structure.JOINT_QA && !joint) || (s == TaskHead.Structure.START_END && joint)) {
                        throw new BadInputException(hparams.file(), "hparams give joint_prediction: " + joint
                                + " but the checkpoint's " + task.scope() + " holds " + task.listVariables() + ", the "
                                + (joint ? "separate start and end layers of joint_prediction: false"
                                : "joint head of joint_prediction: true"));
                    }
                }
            }
            return;
        }
        boolean electric = hparams.flag("electric_objective", false);
        boolean electra = hparams.flag("electra_objective", true);
        boolean uniform = hparams.flag("uniform_generator", false);
        boolean untied = hparams.flag("untied_generator", true);
        boolean twoTower = hparams.flag("two_tower_generator", false) || electric;
        // run_pretraining.PretrainingModel: which generator it builds, and whether a discriminator
        ElectraCheckpointModel.Generator generator = uniform ? ElectraCheckpointModel.Generator.NONE
                : (electra || electric) && untied
                ? (twoTower ? ElectraCheckpointModel.Generator.TWO_TOWER : ElectraCheckpointModel.Generator.SEPARATE)
                : ElectraCheckpointModel.Generator.SHARED_BODY;
        boolean discriminator = electra || electric;
        if (generator != model.generator() || discriminator != model.hasDiscriminator()) {
            throw new BadInputException(hparams.file(), "hparams describe " + variant(discriminator, generator)
                    + " (electra_objective: " + electra + ", electric_objective: " + electric + ", untied_generator: "
                    + untied + ", uniform_generator: " + uniform + ") but the checkpoint is " + model.describe());
        }
    }

    private static String variant(boolean discriminator, ElectraCheckpointModel.Generator generator) {
        String gen = switch (generator) {
            case SEPARATE -> "a separate generator";
            case SHARED_BODY -> "a generator sharing the body";
            case TWO_TOWER -> "a two-tower cloze generator";
            case NONE -> "no generator weights";
        };
        return (discriminator ? "a discriminator with " : "no discriminator and ") + gen;
    }
}
