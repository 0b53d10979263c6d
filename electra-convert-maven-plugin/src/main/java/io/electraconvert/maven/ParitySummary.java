package io.electraconvert.maven;

import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.parity.ParityCheck;
import io.electraconvert.verify.parity.ParityReport;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.TensorSummary;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A {@link ParityReport} as a build log wants it: which kernel ran, config values that differ from config.json or
 * that nothing confirms (with where each came from), and per weight format pass or the first divergence. Every
 * config value with its source goes to the debug level ({@code mvn -X}); the JSON report holds everything.
 */
final class ParitySummary {
    private ParitySummary() {}

    /** @param forked whether this JVM is the one verify forked (for the kernel's explanation) */
    static void log(ParityReport r, boolean forked, LogLines log) {
        log.info("verify " + r.network() + ": " + r.checkpoint() + " against " + r.folder());
        log.info("matmul kernel: " + kernel(r.matmul(), forked));
        log.info("inputs: " + r.inputs().stream().map(i -> i.name().split(" ", 2)[0]).collect(Collectors.joining(", ")));
        for (ConfigCheck c : r.config()) {
            log.debug("config " + c.key() + " = " + c.original() + " (" + c.provenance() + ")"
                    + (c.matches() ? "" : "; config.json: " + c.folder()));
        }
        List<ConfigCheck> differ = r.config().stream().filter(c -> !c.matches()).toList();
        log.info("config: " + (r.config().size() - differ.size()) + " of " + r.config().size()
                + " values of the checkpoint agree with config.json (mvn -X lists each with its source)");
        for (ConfigCheck c : differ) {
            log.warn("config.json has " + c.key() + " " + c.folder() + ", the checkpoint " + c.original() + " ("
                    + c.provenance() + ")");
        }
        for (ConfigCheck c : r.unverified()) {
            log.warn("unverified config value: " + c.key() + " " + c.original() + " (" + c.provenance() + "); no file or "
                    + "tensor confirms it, give the hparams the checkpoint was trained with"
                    + (r.strict() ? "" : " (strict=true fails on it)"));
        }
        for (FormatResult f : r.formats()) {
            String head = String.format(Locale.ROOT, "%s (%s; %s weights, tolerance %.0e)", f.format(),
                    f.files().stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")),
                    f.weightsDtype(), f.tolerance());
            if (f.loadFailure().isPresent()) {
                log.error(head + ": FAIL, the converted model does not load: " + f.loadFailure().get());
            } else if (f.firstDivergence().isPresent()) {
                log.error(head + ": FAIL, first divergence: " + ParityCheck.describe(f.firstDivergence().get(), f.tolerance()));
            } else {
                log.info(head + ": pass, " + figures(f));
            }
        }
        if (r.pass()) {
            log.info("PASS: the converted model matches the checkpoint in every format checked");
        }
    }

    private static String figures(FormatResult f) {
        List<TensorSummary> tensors = f.summary();
        double maxAbs = tensors.stream().mapToDouble(TensorSummary::maxAbsDiff).max().orElse(0);
        double minCosine = tensors.stream().mapToDouble(TensorSummary::minCosine).min().orElse(1);
        String text = String.format(Locale.ROOT, "%d tensors compared, max abs diff %.3e, min cosine %.6f",
                tensors.size(), maxAbs, minCosine);
        if (f.top1()[1] > 0) {
            text += String.format(Locale.ROOT, ", top-1 agreement %d/%d", f.top1()[0], f.top1()[1]);
        }
        return text;
    }

    /** The kernel that ran, and when it is the scalar one, why and how to get the vector one. */
    static String kernel(String matmul, boolean forked) {
        String jvm = forked ? "forked JVM" : "Maven's JVM";
        if (matmul.equals("vector")) {
            return "vector (jdk.incubator.vector, " + jvm + ")";
        }
        if ("false".equalsIgnoreCase(System.getProperty("electra.vector"))) {
            return "scalar (-Delectra.vector=false, " + jvm + ")";
        }
        if (MatMul.vectorAvailable()) {
            return "scalar (a model narrower than " + MatMul.VECTOR_MIN_HIDDEN + " runs faster on it; "
                    + "-Delectra.vector=true runs the vector kernel, " + jvm + ")";
        }
        if (forked) {
            return "scalar (the Java runtime " + System.getProperty("java.home") + " has no jdk.incubator.vector)";
        }
        return "scalar (jdk.incubator.vector is not in Maven's JVM; fork=true, or MAVEN_OPTS=\"--add-modules "
                + "jdk.incubator.vector\", runs the vector kernel)";
    }
}
