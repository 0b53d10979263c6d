package io.electraconvert.verify.parity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.json.JsonEnvelope;
import io.electraconvert.hf.json.JsonMappers;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.InputSummary;
import io.electraconvert.verify.parity.ParityReport.TensorSummary;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@link ParityReport} as JSON: a {@code verify_report} document in the envelope every electra-convert document
 * has (docs/json.md; its schema: docs/schemas/verify_report.schema.json).
 */
public final class ParityReportJson {
    public static final int SCHEMA_VERSION = 1;
    public static final String KIND = "verify_report";
    public static final String TOLERANCE_RULE = "|converted - original| <= tolerance * max(1, |original|)";

    private ParityReportJson() {}

    public static String write(ParityReport report) {
        ObjectMapper json = JsonMappers.PRETTY;
        ObjectNode root = JsonEnvelope.create(KIND, SCHEMA_VERSION);
        root.put("checkpoint", report.checkpoint().toString());
        root.put("folder", report.folder().toString());
        root.put("network", report.network());
        root.put("pass", report.pass());
        if (report.failure().isPresent()) {
            root.put("failure", report.failure().get());
        } else {
            root.putNull("failure");
        }
        root.put("strict", report.strict());
        root.put("matmul", report.matmul());
        root.put("tolerance_rule", TOLERANCE_RULE);
        ArrayNode inputs = root.putArray("inputs");
        for (InputSummary i : report.inputs()) {
            ObjectNode n = inputs.addObject().put("name", i.name());
            ArrayNode shape = n.putArray("shape");
            Arrays.stream(i.shape()).forEach(shape::add);
            if (i.throughHead()) {
                n.put("depth", "all");
            } else {
                n.put("depth", i.layers());
            }
        }
        ArrayNode config = root.putArray("config");
        for (ConfigCheck c : report.config()) {
            ObjectNode n = config.addObject().put("key", c.key());
            n.putPOJO("checkpoint", c.original());
            n.putPOJO("folder", c.folder());
            n.put("source", c.provenance().kind().name().toLowerCase(java.util.Locale.ROOT));
            n.put("source_detail", c.provenance().detail());
            n.put("unverified", c.provenance().unverified());
            n.put("matches", c.matches());
        }
        ArrayNode formats = root.putArray("formats");
        for (FormatResult f : report.formats()) {
            ObjectNode n = formats.addObject().put("format", f.format());
            ArrayNode files = n.putArray("files");
            f.files().stream().map(Path::toString).forEach(files::add);
            n.put("weights_dtype", f.weightsDtype());
            n.put("tolerance", f.tolerance());
            n.put("pass", f.pass());
            if (f.loadFailure().isPresent()) {
                n.put("load_failure", f.loadFailure().get());
            } else {
                n.putNull("load_failure");
            }
            if (f.firstDivergence().isPresent()) {
                n.set("first_divergence", comparison(json, f.firstDivergence().get()));
            } else {
                n.putNull("first_divergence");
            }
            ArrayNode summary = n.putArray("summary");
            for (TensorSummary s : f.summary()) {
                ObjectNode t = summary.addObject().put("tensor", s.tensor());
                number(t, "max_abs_diff", s.maxAbsDiff());
                t.put("max_abs_input", s.maxAbsInput());
                number(t, "max_rel_diff", s.maxRelDiff());
                t.put("max_rel_input", s.maxRelInput());
                number(t, "min_cosine", s.minCosine());
                t.put("min_cosine_input", s.minCosineInput());
                t.put("pass", s.pass());
                if (s.shapeMismatch() != null) {
                    t.put("shape_mismatch", s.shapeMismatch());
                }
            }
            ArrayNode comparisons = n.putArray("comparisons");
            f.comparisons().forEach(c -> comparisons.add(comparison(json, c)));
            if (f.top1()[1] > 0) {
                n.putObject("top1_agreement").put("agree", f.top1()[0]).put("positions", f.top1()[1])
                        .put("fraction", (double) f.top1()[0] / f.top1()[1]);
            }
        }
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree in memory: cannot happen
        }
    }

    private static ObjectNode comparison(ObjectMapper json, TensorComparison c) {
        ObjectNode n = json.createObjectNode().put("tensor", c.tensor()).put("input", c.input());
        number(n, "max_abs_diff", c.maxAbsDiff());
        number(n, "max_rel_diff", c.maxRelDiff());
        number(n, "cosine", c.cosine());
        n.put("pass", c.pass());
        if (c.shapeMismatch() != null) {
            n.put("shape_mismatch", c.shapeMismatch());
        }
        return n;
    }

    /** JSON has no NaN: a non-finite figure is null. */
    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }
}
