package io.electraconvert.verify.parity;

import io.electraconvert.verify.original.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict of a {@link ParityCheck} and everything behind it: the inputs, the original's config with where each
 * value came from against the folder's {@code config.json}, and for every weight format checked, which files were
 * read and how every hidden state and head output of every input compared.
 *
 * @param failure why the check failed, in one line naming the first culprit; empty when it passed
 */
public record ParityReport(Path checkpoint, Path folder, String network, List<InputSummary> inputs,
                           List<ConfigCheck> config, List<FormatResult> formats, boolean strict, String matmul,
                           Optional<String> failure) {
    public ParityReport {
        inputs = List.copyOf(inputs);
        config = List.copyOf(config);
        formats = List.copyOf(formats);
    }

    public boolean pass() {
        return failure.isEmpty();
    }

    /** The config values no file or tensor confirms: the original's defaults, guessed. */
    public List<ConfigCheck> unverified() {
        return config.stream().filter(c -> c.provenance().unverified()).toList();
    }

    /**
     * One input of the battery.
     *
     * @param layers how many encoder layers it ran through (0: the embeddings only); {@link InputBattery#ALL_LAYERS}:
     *               every layer and the head
     */
    public record InputSummary(String name, int[] shape, int layers) {
        public boolean throughHead() {
            return layers == InputBattery.ALL_LAYERS;
        }
    }

    /**
     * One config value: the original's (with its provenance) against the folder's {@code config.json}; the folder's is
     * null when config.json has no such value.
     */
    public record ConfigCheck(String key, Object original, Provenance provenance, Object folder) {
        public boolean matches() {
            return folder == null || folder.equals(original)
                    || original instanceof Number a && folder instanceof Number b && a.doubleValue() == b.doubleValue();
        }
    }

    /**
     * One weight format of the folder, checked.
     *
     * @param weightsDtype the widest-but-float32 type of its tensors (F32, F16 or BF16), which sets the tolerance
     * @param loadFailure  why the converted model could not even be built from these weights; empty when it was
     * @param comparisons  per input, per tensor, in forward order
     * @param top1         for a masked LM: positions (unpadded) whose best token agrees, of all positions
     */
    public record FormatResult(String format, List<Path> files, String weightsDtype, double tolerance,
                               Optional<String> loadFailure, List<TensorComparison> comparisons, long[] top1) {
        public FormatResult {
            files = List.copyOf(files);
            comparisons = List.copyOf(comparisons);
        }

        public boolean pass() {
            return loadFailure.isEmpty() && comparisons.stream().allMatch(TensorComparison::pass);
        }

        public Optional<TensorComparison> firstDivergence() {
            return comparisons.stream().filter(c -> !c.pass()).findFirst();
        }

        /** Per tensor, the worst over the inputs (each extreme with the input it came from), in forward order. */
        public List<TensorSummary> summary() {
            Map<String, TensorSummary> worst = new LinkedHashMap<>();
            comparisons.forEach(c -> worst.merge(c.tensor(), TensorSummary.of(c), TensorSummary::worse));
            return new ArrayList<>(worst.values());
        }
    }

    /** A tensor's worst figures over the inputs, each naming its input. */
    public record TensorSummary(String tensor, double maxAbsDiff, String maxAbsInput, double maxRelDiff,
                                String maxRelInput, double minCosine, String minCosineInput, boolean pass,
                                String shapeMismatch) {
        static TensorSummary of(TensorComparison c) {
            return new TensorSummary(c.tensor(), c.maxAbsDiff(), c.input(), c.maxRelDiff(), c.input(), c.cosine(),
                    c.input(), c.pass(), c.shapeMismatch());
        }

        /** NaN (a shape mismatch or a non-finite value) counts as the worst. */
        TensorSummary worse(TensorSummary o) {
            boolean absO = Double.isNaN(o.maxAbsDiff) || o.maxAbsDiff > maxAbsDiff && !Double.isNaN(maxAbsDiff);
            boolean relO = Double.isNaN(o.maxRelDiff) || o.maxRelDiff > maxRelDiff && !Double.isNaN(maxRelDiff);
            boolean cosO = Double.isNaN(o.minCosine) || o.minCosine < minCosine && !Double.isNaN(minCosine);
            return new TensorSummary(tensor, absO ? o.maxAbsDiff : maxAbsDiff, absO ? o.maxAbsInput : maxAbsInput,
                    relO ? o.maxRelDiff : maxRelDiff, relO ? o.maxRelInput : maxRelInput,
                    cosO ? o.minCosine : minCosine, cosO ? o.minCosineInput : minCosineInput, pass && o.pass,
                    shapeMismatch != null ? shapeMismatch : o.shapeMismatch);
        }
    }
}
