package io.electraconvert.hf.electra;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The head of one fine-tuned task, {@code task_specific/<name>/} (google-research/electra's {@code run_finetuning.py}
 * opens that scope around each task's {@code get_prediction_module}), recognised by its variables.
 *
 * @param variables the head's variables (optimizer slots left out), by name relative to the scope, with shapes
 */
public record TaskHead(String name, Map<String, long[]> variables) {
    /** What the variables are. */
    public enum Structure {
        /** {@code dense} [H, n] alone: classification, regression ({@code n = 1}) or tagging. */
        DENSE,
        /** {@code dense} [H, 1] (start) and {@code dense_1} [H, 1] (end): QA with {@code joint_prediction: false}. */
        START_END,
        /** {@code qa_hidden} and the end logits over [start representation; token]: QA with {@code joint_prediction: true}. */
        JOINT_QA,
        /** Anything else. */
        OTHER
    }

    private static final Set<String> DENSE = Set.of("dense/kernel", "dense/bias");
    private static final Set<String> START_END = Set.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias");
    /** SQuAD 2.0's answerable classifier after the start and end layers: with {@code answerable_uses_start_logits}
     * (the default) {@code dense_2} [2H, 512] then {@code dense_3} [512, 1]; without, {@code dense_2} [H, 1]. */
    private static final List<Set<String>> ANSWERABLE = List.of(
            Set.of("dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias"), Set.of("dense_2/kernel", "dense_2/bias"));

    public TaskHead {
        variables = new LinkedHashMap<>(variables);
    }

    public static final String SCOPE = "task_specific/";

    /** The checkpoint scope of this head. */
    public String scope() {
        return SCOPE + name + "/";
    }

    public Structure structure() {
        Set<String> names = variables.keySet();
        if (names.contains("qa_hidden/kernel")) {
            return Structure.JOINT_QA;
        }
        if (names.equals(DENSE) && rank2("dense/kernel")) {
            return Structure.DENSE;
        }
        if (names.containsAll(START_END) && outputs("dense/kernel") == 1 && outputs("dense_1/kernel") == 1
                && Arrays.equals(variables.get("dense/kernel"), variables.get("dense_1/kernel"))) {
            Set<String> rest = names.stream().filter(n -> !START_END.contains(n)).collect(Collectors.toSet());
            if (rest.isEmpty() || ANSWERABLE.contains(rest)) {
                return Structure.START_END;
            }
        }
        return Structure.OTHER;
    }

    /** The answerable classifier's variables (checkpoint names) of a {@link Structure#START_END} head: SQuAD 2.0's. */
    public List<String> answerableClassifier() {
        return variables.keySet().stream().filter(n -> n.startsWith("dense_2/") || n.startsWith("dense_3/"))
                .map(n -> scope() + n).toList();
    }

    /** The number of outputs of the {@code dense} layer ({@code [H, n]}), or -1 without one. */
    public long outputs() {
        return rank2("dense/kernel") ? outputs("dense/kernel") : -1;
    }

    private boolean rank2(String variable) {
        long[] shape = variables.get(variable);
        return shape != null && shape.length == 2;
    }

    private long outputs(String variable) {
        long[] shape = variables.get(variable);
        return shape != null && shape.length == 2 ? shape[1] : -1;
    }

    /** The task as google-research/electra defines it, if it is one of its tasks. */
    public Optional<OriginalTasks.Task> original() {
        return OriginalTasks.find(name);
    }

    /** {@code dense [32, 3], dense_1 [32, 1]}: the variables and shapes, for messages. */
    public String listVariables() {
        return variables.entrySet().stream().filter(e -> e.getKey().endsWith("/kernel"))
                .map(e -> e.getKey().substring(0, e.getKey().length() - "/kernel".length()) + " " + Arrays.toString(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
