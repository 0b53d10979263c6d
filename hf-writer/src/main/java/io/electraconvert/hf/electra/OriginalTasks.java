package io.electraconvert.hf.electra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tasks google-research/electra's {@code finetune/task_builder.py} knows (commit 8a46635): the task name that
 * becomes the checkpoint scope {@code task_specific/<name>/}, what its head computes, and for classification the
 * label list in the order the task class gives it (the order of the head's outputs).
 */
public final class OriginalTasks {
    /**
     * One task class.
     *
     * @param labels    classification labels in output order; empty for regression, tagging and QA
     * @param definedBy where the original defines it (the task class, in its file)
     */
    public record Task(String name, TaskType type, List<String> labels, String definedBy) {
        public Task {
            labels = List.copyOf(labels);
        }
    }

    private static final String CLASSIFICATION = "finetune/classification/classification_tasks.py";
    private static final String QA = "finetune/qa/qa_tasks.py";
    private static final Map<String, Task> TASKS = new TreeMap<>();

    static {
        classification("cola", "CoLA", List.of("0", "1"));
        classification("mrpc", "MRPC", List.of("0", "1"));
        classification("mnli", "MNLI", List.of("contradiction", "entailment", "neutral"));
        classification("sst", "SST", List.of("0", "1"));
        classification("rte", "RTE", List.of("entailment", "not_entailment"));
        classification("qnli", "QNLI", List.of("entailment", "not_entailment"));
        classification("qqp", "QQP", List.of("0", "1"));
        add(new Task("sts", TaskType.REGRESSION, List.of(), "STS in " + CLASSIFICATION));
        for (String[] qa : new String[][] {{"squad", "SQuAD"}, {"squadv1", "SQuADv1"}, {"newsqa", "NewsQA"},
                {"naturalqs", "NaturalQuestions"}, {"triviaqa", "TriviaQA"}, {"searchqa", "SearchQA"}}) {
            add(new Task(qa[0], TaskType.QUESTION_ANSWERING, List.of(), qa[1] + " in " + QA));
        }
        // the label mapping is built from the training data and kept in <task>_label_mapping.pkl, not in the code
        add(new Task("chunk", TaskType.TAGGING, List.of(), "Chunking in finetune/tagging/tagging_tasks.py"));
    }

    private OriginalTasks() {}

    private static void classification(String name, String className, List<String> labels) {
        add(new Task(name, TaskType.CLASSIFICATION, labels, className + " in " + CLASSIFICATION));
    }

    private static void add(Task task) {
        TASKS.put(task.name(), task);
    }

    public static Optional<Task> find(String name) {
        return Optional.ofNullable(TASKS.get(name));
    }

    /** Every task name, sorted. */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }
}
