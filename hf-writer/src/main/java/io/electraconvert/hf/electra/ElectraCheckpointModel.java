package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.schema.TfLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a google-research/electra checkpoint holds, recognised from variable names and shapes alone: which of the
 * original's scripts and variants wrote it ({@code run_pretraining.py}: the discriminator and which generator;
 * {@code run_finetuning.py}: the body and its task heads), and for each choice of what to convert, the layout and
 * the config the shapes imply. Values the shapes cannot show (heads, activation) start at google-research/electra's
 * defaults; {@link ConfigResolver} replaces them with what hparams or the graph say.
 *
 * <p>What the original's variants write (its {@code run_pretraining.py}, {@code run_finetuning.py}):
 * <ul>
 *   <li>default: the discriminator {@code electra/} + {@code discriminator_predictions/}, the generator
 *       {@code generator/} + {@code generator_predictions/}, embeddings shared ({@code electra/embeddings/}) unless
 *       {@code untied_generator_embeddings} gives the generator its own ({@code generator/embeddings/});</li>
 *   <li>{@code untied_generator: false}: one body {@code electra/} under both heads;</li>
 *   <li>{@code electra_objective: false} (BERT-style masked LM): a full-size {@code electra/} body under
 *       {@code generator_predictions/} alone;</li>
 *   <li>{@code electric_objective: true}: the discriminator and a two-tower cloze generator ({@code generator_ltr/},
 *       {@code generator_rtl/}, {@code cloze_predictions/}), which no HF class computes;</li>
 *   <li>{@code uniform_generator: true}: the discriminator alone (that generator has no weights);</li>
 *   <li>fine-tuning: {@code electra/} and one head per task under {@code task_specific/<task>/}.</li>
 * </ul>
 */
public final class ElectraCheckpointModel {
    /** Embeddings scope of the body, shared with the generator unless it has its own. */
    public static final String SHARED_EMBEDDINGS = "electra/embeddings/";
    /** The generator's own embeddings when {@code untied_generator_embeddings} was set. */
    public static final String UNTIED_GENERATOR_EMBEDDINGS = "generator/embeddings/";
    private static final String BODY = "electra/";
    private static final String GENERATOR_TOWER = "generator/";
    private static final String DISCRIMINATOR_HEAD = "discriminator_predictions/";
    private static final String GENERATOR_HEAD = "generator_predictions/";
    private static final List<String> TWO_TOWER_SCOPES = List.of("generator_ltr/", "generator_rtl/", "cloze_predictions/");
    private static final Pattern LAYER = Pattern.compile("^encoder/layer_(\\d+)/");
    private static final String FIRST_QUERY = "encoder/layer_0/attention/self/query/kernel";

    /** Which script wrote the checkpoint. */
    public enum Kind {
        /** {@code run_pretraining.py}. */
        PRETRAINING,
        /** {@code run_finetuning.py}: task heads under {@code task_specific/}. */
        FINETUNED,
        /** Neither: no ELECTRA body, generator or task head. */
        NOT_ELECTRA
    }

    /** The generator a pretraining checkpoint has. */
    public enum Generator {
        /** Its own tower {@code generator/} (the default, {@code untied_generator: true}). */
        SEPARATE,
        /** The body {@code electra/} under the generator head: {@code untied_generator: false} when the discriminator
         * is there too, {@code electra_objective: false} (masked LM alone) when it is not. */
        SHARED_BODY,
        /** Electric's two towers and cloze head ({@code electric_objective: true}). */
        TWO_TOWER,
        /** No generator variables ({@code uniform_generator: true}, or a checkpoint without them). */
        NONE
    }

    /** A transformer's layout and what its shapes say. */
    private record Tower(String scope, String embeddings, ElectraConfig config, ConfigProvenance provenance) {}

    private final TensorShapes shapes;
    private final Optional<Tower> body;
    private final Optional<Tower> generatorTower;
    private final boolean discriminator;
    private final Generator generator;
    private final Map<String, TaskHead> tasks;

    private ElectraCheckpointModel(TensorShapes shapes, Optional<Tower> body, Optional<Tower> generatorTower,
                                   boolean discriminator, Generator generator, Map<String, TaskHead> tasks) {
        this.shapes = shapes;
        this.body = body;
        this.generatorTower = generatorTower;
        this.discriminator = discriminator;
        this.generator = generator;
        this.tasks = tasks;
    }

    public static ElectraCheckpointModel recognise(TensorShapes shapes) {
        Optional<Tower> body = shapes.has(BODY + FIRST_QUERY)
                ? Optional.of(tower(shapes, BODY, SHARED_EMBEDDINGS)) : Optional.empty();
        boolean generatorHead = shapes.has(GENERATOR_HEAD + "output_bias");
        Optional<Tower> generatorTower = generatorHead && shapes.has(GENERATOR_TOWER + FIRST_QUERY)
                ? Optional.of(tower(shapes, GENERATOR_TOWER, shapes.has(UNTIED_GENERATOR_EMBEDDINGS + "word_embeddings")
                        ? UNTIED_GENERATOR_EMBEDDINGS : SHARED_EMBEDDINGS))
                : Optional.empty();
        Generator generator;
        if (generatorTower.isPresent()) {
            generator = Generator.SEPARATE;
        } else if (generatorHead && body.isPresent()) {
            generator = Generator.SHARED_BODY;
        } else if (TWO_TOWER_SCOPES.stream().anyMatch(s -> hasUnder(shapes, s))) {
            generator = Generator.TWO_TOWER;
        } else {
            generator = Generator.NONE;
        }
        boolean discriminator = body.isPresent() && shapes.has(DISCRIMINATOR_HEAD + "dense_1/kernel");
        return new ElectraCheckpointModel(shapes, body, generatorTower, discriminator, generator, tasks(shapes));
    }

    private static boolean hasUnder(TensorShapes shapes, String scope) {
        for (String name : shapes.names()) {
            if (name.startsWith(scope)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, TaskHead> tasks(TensorShapes shapes) {
        Map<String, Map<String, long[]>> byTask = new TreeMap<>();
        for (String name : shapes.names()) {
            if (name.startsWith(TaskHead.SCOPE) && !isSlot(name)) {
                String rest = name.substring(TaskHead.SCOPE.length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    byTask.computeIfAbsent(rest.substring(0, slash), t -> new LinkedHashMap<>())
                            .put(rest.substring(slash + 1), shapes.find(name).orElseThrow());
                }
            }
        }
        Map<String, TaskHead> tasks = new LinkedHashMap<>();
        byTask.forEach((task, variables) -> tasks.put(task, new TaskHead(task, variables)));
        return tasks;
    }

    private static boolean isSlot(String name) {
        return name.endsWith("/adam_m") || name.endsWith("/adam_v");
    }

    public Kind kind() {
        if (!tasks.isEmpty() && body.isPresent()) {
            return Kind.FINETUNED;
        }
        return discriminator || generator == Generator.SEPARATE || generator == Generator.SHARED_BODY
                ? Kind.PRETRAINING : Kind.NOT_ELECTRA;
    }

    public boolean isElectra() {
        return kind() != Kind.NOT_ELECTRA;
    }

    /** The networks of a pretraining checkpoint that convert (discriminator, generator). */
    public List<ElectraNetwork> networks() {
        List<ElectraNetwork> networks = new ArrayList<>();
        if (discriminator) {
            networks.add(ElectraNetwork.DISCRIMINATOR);
        }
        if (generator == Generator.SEPARATE || generator == Generator.SHARED_BODY) {
            networks.add(ElectraNetwork.GENERATOR);
        }
        return networks;
    }

    public boolean hasDiscriminator() {
        return discriminator;
    }

    public Generator generator() {
        return generator;
    }

    /** The fine-tuned task heads, by task name. */
    public List<TaskHead> tasks() {
        return List.copyOf(tasks.values());
    }

    public TensorShapes shapes() {
        return shapes;
    }

    /** What the checkpoint is, in one phrase: which script and variant wrote it, with its networks or tasks. */
    public String describe() {
        return switch (kind()) {
            case NOT_ELECTRA -> "not an ELECTRA checkpoint";
            case FINETUNED -> "a fine-tuned checkpoint (run_finetuning.py): the body electra/ with the task "
                    + (tasks.size() == 1 ? "head " : "heads ") + tasks.values().stream().map(TaskHead::scope)
                    .collect(Collectors.joining(", "));
            case PRETRAINING -> switch (generator) {
                case SEPARATE -> (discriminator ? "an ELECTRA pretraining checkpoint: the discriminator (electra/, "
                        + "discriminator_predictions/) and the generator (generator/, generator_predictions/"
                        : "a pretraining checkpoint with a generator (generator/, generator_predictions/")
                        + (generatorTower.orElseThrow().embeddings().equals(UNTIED_GENERATOR_EMBEDDINGS)
                        ? "; its own embeddings generator/embeddings/, untied_generator_embeddings: true)"
                        : "; embeddings shared with electra/embeddings/)")
                        + (discriminator ? "" : " but no discriminator");
                case SHARED_BODY -> discriminator
                        ? "an ELECTRA pretraining checkpoint with a tied generator (untied_generator: false): one body, "
                        + "electra/, under the discriminator head discriminator_predictions/ and the generator head "
                        + "generator_predictions/"
                        : "a masked-LM pretraining checkpoint (electra_objective: false): a full-size body, electra/, "
                        + "under the generator head generator_predictions/; no discriminator";
                case TWO_TOWER -> "an Electric pretraining checkpoint (electric_objective: true): the discriminator "
                        + "(electra/, discriminator_predictions/) and a two-tower cloze generator (generator_ltr/, "
                        + "generator_rtl/, cloze_predictions/)";
                case NONE -> "an ELECTRA pretraining checkpoint with no generator variables (as uniform_generator: true "
                        + "writes): the discriminator (electra/, discriminator_predictions/) alone";
            };
        };
    }

    /** Every choice worth listing for this checkpoint, convertible or not: what {@code inspect} shows. */
    public List<ModelChoice> choices() {
        List<ModelChoice> choices = new ArrayList<>();
        switch (kind()) {
            case PRETRAINING -> {
                choices.add(ModelChoice.of(ElectraNetwork.DISCRIMINATOR));
                choices.add(ModelChoice.of(ElectraNetwork.GENERATOR));
                choices.add(ModelChoice.body());
            }
            case FINETUNED -> {
                choices.add(ModelChoice.body());
                tasks.keySet().forEach(t -> choices.add(ModelChoice.task(t)));
            }
            case NOT_ELECTRA -> { }
        }
        return choices;
    }

    /** {@link #require(ModelChoice)} for a network. */
    public ModelLayout require(ElectraNetwork network) {
        return require(ModelChoice.of(network));
    }

    /**
     * The layout of a choice, with the config from shapes (and for a task, its labels), or a one-line refusal
     * naming what the checkpoint has and the nearest choice that converts.
     */
    public ModelLayout require(ModelChoice choice) {
        if (kind() == Kind.NOT_ELECTRA) {
            throw new UnsupportedInputException(shapes.source(), "not an ELECTRA checkpoint (pretraining or fine-tuned): "
                    + "found neither a discriminator (electra/encoder/* + discriminator_predictions/*) nor a generator "
                    + "(generator/encoder/* or electra/encoder/*, + generator_predictions/*) nor a fine-tuned body "
                    + "(electra/encoder/* + task_specific/*)");
        }
        if (choice instanceof ModelChoice.Network n) {
            return n.network() == ElectraNetwork.DISCRIMINATOR ? discriminatorLayout() : generatorLayout();
        }
        if (choice instanceof ModelChoice.Body) {
            Tower tower = body.orElseThrow(() -> refuse("has no electra/ body to convert alone (electra/encoder/* is "
                    + "absent; it has generator/* and generator_predictions/*): convert --model generator"));
            return layout(choice, HeadKind.BODY, tower, "", Optional.empty());
        }
        return task((ModelChoice.Task) choice);
    }

    private ModelLayout discriminatorLayout() {
        if (discriminator) {
            return layout(ModelChoice.of(ElectraNetwork.DISCRIMINATOR), HeadKind.PRETRAINING, body.orElseThrow(),
                    DISCRIMINATOR_HEAD, Optional.empty());
        }
        if (kind() == Kind.FINETUNED) {
            throw refuse("is fine-tuned and has no discriminator (discriminator_predictions/* is absent; it has "
                    + taskScopes() + "): convert " + taskChoices() + ", or the body with --model body");
        }
        if (generator == Generator.SHARED_BODY) {
            throw refuse("is a masked-LM checkpoint (electra_objective: false) and has no discriminator "
                    + "(discriminator_predictions/* is absent; it has electra/* and generator_predictions/*): convert "
                    + "--model generator (ElectraForMaskedLM) or --model body (ElectraModel)");
        }
        throw refuse("has no discriminator (discriminator_predictions/* or electra/encoder/* is absent; it has "
                + "generator/* and generator_predictions/*): convert --model generator");
    }

    private ModelLayout generatorLayout() {
        switch (generator) {
            case SEPARATE -> {
                return layout(ModelChoice.of(ElectraNetwork.GENERATOR), HeadKind.MASKED_LM, generatorTower.orElseThrow(),
                        GENERATOR_HEAD, Optional.empty());
            }
            case SHARED_BODY -> {
                return layout(ModelChoice.of(ElectraNetwork.GENERATOR), HeadKind.MASKED_LM, body.orElseThrow(),
                        GENERATOR_HEAD, Optional.empty());
            }
            case TWO_TOWER -> throw refuse("is an Electric checkpoint: its generator is a two-tower cloze model "
                    + "(generator_ltr/*, generator_rtl/*, cloze_predictions/*) that no HF class computes: convert "
                    + "--model discriminator (ElectraForPreTraining) or --model body (ElectraModel)");
            case NONE -> { }
        }
        if (kind() == Kind.FINETUNED) {
            throw refuse("is fine-tuned and has no generator (generator_predictions/* is absent; it has "
                    + taskScopes() + "): convert " + taskChoices() + ", or the body with --model body");
        }
        throw refuse("has no generator variables (generator/* and generator_predictions/* are absent, as a checkpoint "
                + "trained with uniform_generator: true has them: that generator samples uniformly and has no weights; "
                + "it has electra/* and discriminator_predictions/*): convert --model discriminator "
                + "(ElectraForPreTraining) or --model body (ElectraModel)");
    }

    private ModelLayout task(ModelChoice.Task choice) {
        if (kind() != Kind.FINETUNED) {
            throw refuse("is not fine-tuned (task_specific/* is absent): it is " + describe() + "; convert "
                    + convertibleChoices());
        }
        if (choice.name().isEmpty() && tasks.size() > 1) {
            throw refuse("is fine-tuned on " + tasks.size() + " tasks (" + taskScopes() + "): pick one with "
                    + String.join(" or ", tasks.keySet().stream().map(t -> "--task " + t).toList()));
        }
        String name = choice.name().orElse(tasks.keySet().iterator().next());
        TaskHead head = tasks.get(name);
        if (head == null) {
            throw refuse("has no task '" + name + "' (task_specific/" + name + "/* is absent); its tasks: "
                    + String.join(", ", tasks.keySet()));
        }
        TaskType type = taskType(head, choice);
        Tower tower = body.orElseThrow();
        ModelLayout layout = layout(new ModelChoice.Task(Optional.of(name), Optional.of(type), choice.labels()),
                type.head(), tower, head.scope(), Optional.of(head));
        return TaskLabels.apply(layout, head, type, choice.labels(), shapes.source());
    }

    /** The head's type: the original's for its tasks, the choice's otherwise, and it fits the head's variables. */
    private TaskType taskType(TaskHead head, ModelChoice.Task choice) {
        Optional<OriginalTasks.Task> original = head.original();
        TaskHead.Structure structure = head.structure();
        if (structure == TaskHead.Structure.JOINT_QA) {
            throw refuse("has the joint SQuAD head of task " + head.name() + " (joint_prediction: true, the original's "
                    + "default: " + head.scope() + " holds " + head.listVariables() + "; qa_hidden and dense_1 compute the "
                    + "end logits from the start position), which no HF class computes: ElectraForQuestionAnswering "
                    + "needs a checkpoint fine-tuned with joint_prediction: false; convert the body with --model body "
                    + "(ElectraModel)");
        }
        if (structure == TaskHead.Structure.OTHER) {
            throw refuse("has a head " + head.scope() + " (" + head.listVariables() + ") that is none of the heads "
                    + "google-research/electra's tasks create (a dense layer, or the SQuAD start/end layers): convert "
                    + "the body with --model body");
        }
        Optional<TaskType> stated = choice.type();
        if (original.isPresent() && stated.isPresent() && stated.get() != original.get().type()) {
            throw unsupported("task " + head.name() + " is a " + original.get().type().cliName() + " task ("
                    + original.get().definedBy() + " in google-research/electra), not " + stated.get().cliName()
                    + ": leave out --task-type");
        }
        TaskType type;
        if (original.isPresent()) {
            type = original.get().type();
        } else if (structure == TaskHead.Structure.START_END) {
            type = stated.orElse(TaskType.QUESTION_ANSWERING);
        } else {
            type = stated.orElseThrow(() -> unsupported("task '" + head.name() + "' is not one of google-research/electra's "
                    + "tasks (" + String.join(", ", OriginalTasks.names()) + "), so its head " + head.scope() + "dense "
                    + Arrays.toString(head.variables().get("dense/kernel")) + " may classify sequences or tag tokens: "
                    + "say which with --task-type classification, regression or tagging"));
        }
        boolean fits = type == TaskType.QUESTION_ANSWERING ? structure == TaskHead.Structure.START_END
                : structure == TaskHead.Structure.DENSE;
        if (!fits) {
            throw unsupported("task " + head.name() + "'s head " + head.scope() + " (" + head.listVariables() + ") is not the "
                    + (type == TaskType.QUESTION_ANSWERING ? "start and end layers (dense [H, 1], dense_1 [H, 1])"
                    : "dense layer") + " of a " + type.cliName() + " task: convert the body with --model body");
        }
        return type;
    }

    /** {@code --model discriminator, --model generator or --model body}: the choices that convert here. */
    private String convertibleChoices() {
        List<String> choices = new ArrayList<>();
        networks().forEach(n -> choices.add("--model " + n.cliName()));
        return choices.isEmpty() ? "--model body" : String.join(", ", choices) + " or --model body";
    }

    private String taskScopes() {
        return tasks.values().stream().map(t -> t.scope() + "*").collect(Collectors.joining(", "));
    }

    private String taskChoices() {
        return tasks.size() == 1 ? "its task with --model task"
                : "a task with --model task --task " + String.join("|", tasks.keySet());
    }

    private UnsupportedInputException refuse(String what) {
        return unsupported("the checkpoint " + what);
    }

    private UnsupportedInputException unsupported(String what) {
        return new UnsupportedInputException(shapes.source(), what);
    }

    private static ModelLayout layout(ModelChoice choice, HeadKind head, Tower tower, String headScope, Optional<TaskHead> task) {
        Hparams.Tower hparamsTower = tower.scope().equals(GENERATOR_TOWER) ? Hparams.Tower.GENERATOR : Hparams.Tower.BODY;
        return new ModelLayout(choice, head, new TfLayout(tower.embeddings(), tower.scope(), headScope), hparamsTower,
                tower.config().withArchitecture(head.architecture()), tower.provenance(), task);
    }

    /**
     * Why a variable the layout does not use can be left out, or empty when it cannot (an unknown variable, or a
     * stray one in the layout's own scopes).
     */
    public Optional<DroppedVariable> drop(String name, ModelLayout layout) {
        if (isSlot(name)) {
            return DropReason.OPTIMIZER_SLOT.drop(name, "Adam optimizer slot");
        }
        if (name.equals("global_step")) {
            return DropReason.TRAINING_STEP.drop(name, "training step counter");
        }
        if (layout.task().isPresent() && layout.task().get().answerableClassifier().contains(name)
                && layout.head() == HeadKind.QUESTION_ANSWERING) {
            return DropReason.ANSWERABLE_CLASSIFIER.drop(name, "SQuAD 2.0 answerable classifier (answerable_classifier: true; "
                    + "ElectraForQuestionAnswering has no place for it)");
        }
        TfLayout own = layout.tf();
        for (String scope : List.of(own.embeddings(), own.tower(), own.head())) {
            if (!scope.isEmpty() && name.startsWith(scope)) {
                return Optional.empty();
            }
        }
        if (name.startsWith(SHARED_EMBEDDINGS)) {
            return DropReason.OTHER_NETWORK_EMBEDDINGS.drop(name, "embeddings of the discriminator (this network has its own)");
        }
        if (name.startsWith(UNTIED_GENERATOR_EMBEDDINGS)) {
            return DropReason.OTHER_NETWORK_EMBEDDINGS.drop(name, "embeddings of the generator (this network has its own)");
        }
        if (name.startsWith(BODY) || name.startsWith(DISCRIMINATOR_HEAD)) {
            return DropReason.OTHER_NETWORK.drop(name, "belongs to the discriminator");
        }
        if (name.startsWith(GENERATOR_TOWER) || name.startsWith(GENERATOR_HEAD)) {
            return DropReason.OTHER_NETWORK.drop(name, "belongs to the generator");
        }
        if (TWO_TOWER_SCOPES.stream().anyMatch(name::startsWith)) {
            return DropReason.TWO_TOWER_GENERATOR.drop(name, "Electric's two-tower cloze generator (no HF class computes it)");
        }
        for (TaskHead task : tasks.values()) {
            if (name.startsWith(task.scope())) {
                return DropReason.OTHER_TASK.drop(name, "head of task " + task.name());
            }
        }
        return Optional.empty();
    }

    /** A transformer's config from its shapes: the sizes from variables, heads and activation by the default rules. */
    private static Tower tower(TensorShapes shapes, String tower, String embeddings) {
        String word = embeddings + "word_embeddings";
        int vocab = shapes.dim(word, 2, 0);
        int embeddingSize = shapes.dim(word, 2, 1);
        String position = embeddings + "position_embeddings";
        int positions = shapes.dim(position, 2, 0);
        String tokenType = embeddings + "token_type_embeddings";
        int typeVocab = shapes.dim(tokenType, 2, 0);
        String query = tower + FIRST_QUERY;
        int hidden = shapes.dim(query, 2, 1);
        String intermediateKernel = tower + "encoder/layer_0/intermediate/dense/kernel";
        int intermediate = shapes.dim(intermediateKernel, 2, 1);
        int layers = countLayers(shapes, tower);
        int heads = Math.max(1, hidden / 64);
        ElectraConfig config = ElectraConfig.ofSizes(List.of(), vocab, embeddingSize, hidden, layers, heads, intermediate,
                "gelu", positions, typeVocab);
        List<ConfigValue> values = new ArrayList<>();
        values.add(new ConfigValue("vocab_size", vocab, List.of(ConfigSource.tensor(shaped(shapes, word)))));
        values.add(new ConfigValue("embedding_size", embeddingSize, List.of(ConfigSource.tensor(shaped(shapes, word)))));
        values.add(new ConfigValue("hidden_size", hidden, List.of(ConfigSource.tensor(shaped(shapes, query)))));
        values.add(new ConfigValue("num_hidden_layers", layers, List.of(ConfigSource.tensor(tower + "encoder/layer_0 .. layer_"
                + (layers - 1)))));
        values.add(new ConfigValue("num_attention_heads", heads, List.of(ConfigSource.rule(
                "max(1, hidden_size // 64), google-research/electra's default"))));
        values.add(new ConfigValue("intermediate_size", intermediate, List.of(ConfigSource.tensor(shaped(shapes, intermediateKernel)))));
        values.add(new ConfigValue("hidden_act", "gelu", List.of(ConfigSource.rule("gelu, google-research/electra's default"))));
        values.add(new ConfigValue("max_position_embeddings", positions, List.of(ConfigSource.tensor(shaped(shapes, position)))));
        values.add(new ConfigValue("type_vocab_size", typeVocab, List.of(ConfigSource.tensor(shaped(shapes, tokenType)))));
        values.add(new ConfigValue("layer_norm_eps", config.layerNormEps(), List.of(ConfigSource.code(
                "modeling.layer_norm uses tf.contrib.layers.layer_norm, whose epsilon is 1e-12"))));
        return new Tower(tower, embeddings, config, new ConfigProvenance(values));
    }

    /** {@code name [d0, d1]}. */
    static String shaped(TensorShapes shapes, String name) {
        return name + " " + Arrays.toString(shapes.find(name).orElseThrow());
    }

    private static int countLayers(TensorShapes shapes, String tower) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String name : shapes.names()) {
            if (name.startsWith(tower)) {
                Matcher m = LAYER.matcher(name.substring(tower.length()));
                if (m.find()) {
                    // a real index has a few digits; anything that does not fit an int is no layer of a model
                    if (m.group(1).length() > 9) {
                        throw new BadInputException(shapes.source(), "variable '" + name
                                + "' names encoder layer " + m.group(1) + ", not a layer index");
                    }
                    indexes.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        if (indexes.last() != indexes.size() - 1) {
            throw new BadInputException(shapes.source(), tower + "encoder layers are not numbered 0.."
                    + (indexes.size() - 1) + ": found " + indexes);
        }
        return indexes.size();
    }
}
