package io.electraconvert.verify.parity;

import io.electraconvert.hf.json.JsonEnvelope;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.InputSummary;
import io.electraconvert.verify.parity.ParityReport.TensorSummary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link ParityReport} as one self-contained HTML page for people: the verdict and the failure line, per weight
 * format a chart of every stage and input ({@link ParityChart}, inline SVG) with the worst figures under it, the
 * config with where each checkpoint value came from, the inputs, and the files checked. No script, no network: inline
 * CSS and SVG only. The page is also well-formed XML (XHTML-compatible), so tests and tools can read the chart's data
 * attributes with an XML parser; all text, names read from files included, is escaped.
 */
public final class ParityReportHtml {
    private static final String CSS = """
            body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;font-size:14px;color:#1a1a1a;
              max-width:1040px;margin:0 auto;padding:16px 20px 40px}
            h1{font-size:22px;margin:0 0 6px}
            h2{font-size:18px;margin:30px 0 8px;padding-bottom:3px;border-bottom:1px solid #d0d0d0}
            h3{font-size:15px;margin:20px 0 6px}
            .verdict{padding:12px 16px;border-left:10px solid;border-radius:3px}
            .verdict.pass{background:#e7f5ea;border-color:#1e7e34}
            .verdict.pass h1{color:#1e7e34}
            .verdict.fail{background:#f6eeee;border-color:#a31515}
            .verdict.fail h1{color:#a31515}
            .failure,.divergence-line{font-family:"DejaVu Sans Mono",monospace;font-size:13px;color:#a31515;
              white-space:pre-wrap;overflow-wrap:anywhere;margin:6px 0}
            .ok{color:#1e7e34;font-weight:bold}
            .bad{color:#a31515;font-weight:bold}
            table{border-collapse:collapse;margin:6px 0 10px}
            th,td{border:1px solid #d6d6d6;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f3;font-weight:600}
            table.summary{font-size:13px}
            td.num{text-align:right;font-family:"DejaVu Sans Mono",monospace;white-space:nowrap}
            .path,code{font-family:"DejaVu Sans Mono",monospace;font-size:13px;overflow-wrap:anywhere}
            tr.differs td{background:#fbe3e3}
            tr.unverified td{background:#fff6dc}
            .mark{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:bold}
            .mark.unverified{background:#f2c200;color:#1a1a1a}
            .mark.differs{background:#a31515;color:#ffffff}
            svg.parity-chart{display:block;max-width:100%;height:auto;font-family:"DejaVu Sans",sans-serif}
            svg.parity-chart text{font-size:11px}
            svg.parity-chart .axis-title{font-size:12px;fill:#333333}
            svg.parity-chart .tick{fill:#555555}
            ul.legend{list-style:none;padding:0;margin:4px 0 8px;display:flex;flex-wrap:wrap;gap:4px 22px}
            ul.legend svg{vertical-align:middle}
            .depth{color:#666666}
            .note{color:#555555;font-size:13px}
            """;

    private ParityReportHtml() {}

    public static String write(ParityReport report) {
        Markup m = new Markup();
        m.raw("<!DOCTYPE html>\n");
        m.open("html", "xmlns", "http://www.w3.org/1999/xhtml", "lang", "en");
        m.open("head");
        m.empty("meta", "charset", "utf-8");
        m.element("title", "electra-convert verify " + report.network() + ": " + verdict(report.pass()));
        m.open("style").raw(CSS).close("style");
        m.close("head");
        m.open("body");
        m.open("header", "class", "verdict " + (report.pass() ? "pass" : "fail"), "data-pass", Boolean.toString(report.pass()));
        m.element("h1", verdict(report.pass()) + ": verify " + report.network());
        if (report.failure().isPresent()) {
            m.element("p", report.failure().get(), "class", "failure");
        } else {
            m.element("p", "The converted model matches the checkpoint in every format checked.");
        }
        m.close("header");
        facts(m, report);

        List<String> inputNames = report.inputs().stream().map(InputSummary::name).toList();
        Map<String, String> depths = new LinkedHashMap<>();
        report.inputs().forEach(i -> depths.put(i.name(), shape(i.shape()) + ", " + depth(i)));
        m.element("h2", "Per stage and input");
        m.element("p", "Each point is one input at one stage (hidden_states[0] is the embeddings' output, "
                + "hidden_states[i] encoder layer i-1's, then the head's outputs); an input appears at the stages it "
                + "reached. A point fails when |converted - original| > tolerance * max(1, |original|) somewhere in "
                + "the tensor; points outlined in red failed.", "class", "note");
        for (FormatResult f : report.formats()) {
            formatSection(m, f, ParityChart.series(inputNames, f), depths);
        }
        config(m, report);
        inputs(m, report);
        files(m, report);
        m.close("body");
        m.close("html");
        return m.toString();
    }

    private static void facts(Markup m, ParityReport report) {
        m.open("table", "class", "facts");
        fact(m, "checkpoint", report.checkpoint().toString(), true);
        fact(m, "folder", report.folder().toString(), true);
        fact(m, "network", report.network(), false);
        fact(m, "formats", report.formats().stream().map(f -> f.format() + " " + verdict(f.pass()))
                .collect(Collectors.joining(", ")), false);
        fact(m, "tolerance rule", ParityReportJson.TOLERANCE_RULE, false);
        fact(m, "strict", report.strict() ? "yes: an unverified config value fails" : "no", false);
        fact(m, "matmul", report.matmul(), false);
        fact(m, "tool", JsonEnvelope.TOOL + " " + JsonEnvelope.toolVersion(), false);
        m.close("table");
    }

    private static void fact(Markup m, String name, String value, boolean path) {
        m.open("tr").element("th", name).element("td", value, "class", path ? "path" : null).close("tr");
    }

    private static void formatSection(Markup m, FormatResult f, List<String> series, Map<String, String> depths) {
        m.open("section", "class", "format", "data-format", f.format(), "data-pass", Boolean.toString(f.pass()));
        m.open("h3").text(f.format() + ": ").element("span", verdict(f.pass()), "class", f.pass() ? "ok" : "bad")
                .text(String.format(Locale.ROOT, " (%s weights, tolerance %.0e)", f.weightsDtype(), f.tolerance()))
                .close("h3");
        if (f.loadFailure().isPresent()) {
            m.element("p", "converted model does not load: " + f.loadFailure().get(), "class", "failure");
            m.close("section");
            return;
        }
        f.firstDivergence().ifPresent(d -> m.element("p", "first divergence: " + ParityCheck.describe(d, f.tolerance()),
                "class", "divergence-line"));
        ParityChart.write(m, f, series);
        ParityChart.legend(m, series, depths);
        m.open("table", "class", "summary");
        m.open("tr");
        for (String h : List.of("tensor", "max abs diff", "on input", "max rel diff", "on input", "min cosine", "on input", "")) {
            m.element("th", h);
        }
        m.close("tr");
        for (TensorSummary s : f.summary()) {
            m.open("tr", "data-tensor", s.tensor());
            m.element("td", ParityCheck.label(s.tensor()));
            m.element("td", sci(s.maxAbsDiff()), "class", "num").element("td", s.maxAbsInput());
            m.element("td", sci(s.maxRelDiff()), "class", "num").element("td", s.maxRelInput());
            m.element("td", Double.isNaN(s.minCosine()) ? "-" : String.format(Locale.ROOT, "%.6f", s.minCosine()),
                    "class", "num").element("td", s.minCosineInput());
            m.element("td", s.pass() ? "ok" : s.shapeMismatch() != null ? "FAIL (" + s.shapeMismatch() + ")" : "FAIL",
                    "class", s.pass() ? "ok" : "bad");
            m.close("tr");
        }
        m.close("table");
        if (f.top1()[1] > 0) {
            m.element("p", String.format(Locale.ROOT, "top-1 agreement: %d/%d (%.2f%%)", f.top1()[0], f.top1()[1],
                    100.0 * f.top1()[0] / f.top1()[1]));
        }
        m.close("section");
    }

    private static void config(Markup m, ParityReport report) {
        m.element("h2", "Config: the checkpoint's value and where it came from, against config.json");
        m.open("table", "class", "config");
        m.open("tr");
        for (String h : List.of("key", "checkpoint", "config.json", "source", "source detail", "")) {
            m.element("th", h);
        }
        m.close("tr");
        for (ConfigCheck c : report.config()) {
            boolean unverified = c.provenance().unverified();
            String rowClass = (c.matches() ? "" : "differs ") + (unverified ? "unverified" : "");
            m.open("tr", "data-key", c.key(), "class", rowClass.isBlank() ? null : rowClass.strip());
            m.element("td", c.key(), "class", "path");
            m.element("td", String.valueOf(c.original()), "class", "num");
            m.element("td", c.folder() == null ? "(not in config.json)" : String.valueOf(c.folder()), "class", "num");
            m.element("td", c.provenance().kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            m.element("td", c.provenance().detail());
            m.open("td");
            if (!c.matches()) {
                m.element("span", "DIFFERS", "class", "mark differs");
            }
            if (unverified) {
                m.element("span", "unverified", "class", "mark unverified",
                        "title", "a default of google-research/electra; no file or tensor confirms it");
            }
            m.close("td");
            m.close("tr");
        }
        m.close("table");
        if (!report.unverified().isEmpty()) {
            m.element("p", "Unverified (a default of google-research/electra, which no file or tensor confirms): "
                    + report.unverified().stream().map(ConfigCheck::key).collect(Collectors.joining(", "))
                    + (report.strict() ? ". --strict fails on them." : ". --strict would fail on them; give --hparams."),
                    "class", "note");
        }
    }

    private static void inputs(Markup m, ParityReport report) {
        m.element("h2", "Inputs");
        m.open("table", "class", "inputs");
        m.open("tr").element("th", "input").element("th", "shape").element("th", "compared at").close("tr");
        for (InputSummary i : report.inputs()) {
            m.open("tr", "data-input", i.name()).element("td", i.name()).element("td", shape(i.shape()), "class", "num")
                    .element("td", depth(i)).close("tr");
        }
        m.close("table");
    }

    private static void files(Markup m, ParityReport report) {
        m.element("h2", "Files checked");
        m.open("table", "class", "files");
        m.open("tr");
        for (String h : List.of("format", "files", "weights", "tolerance", "verdict")) {
            m.element("th", h);
        }
        m.close("tr");
        for (FormatResult f : report.formats()) {
            m.open("tr", "data-format", f.format());
            m.element("td", f.format());
            m.open("td");
            for (Path p : f.files()) {
                m.element("div", p.toString(), "class", "path");
            }
            m.close("td");
            m.element("td", f.weightsDtype());
            m.element("td", String.format(Locale.ROOT, "%.0e", f.tolerance()), "class", "num");
            m.open("td").element("span", verdict(f.pass()), "class", f.pass() ? "ok" : "bad");
            String why = f.loadFailure().map(l -> "converted model does not load: " + l)
                    .orElse(f.firstDivergence().map(d -> ParityCheck.describe(d, f.tolerance())).orElse(null));
            if (why != null) {
                m.element("div", why, "class", "failure");
            }
            m.close("td");
            m.close("tr");
        }
        m.close("table");
        m.open("p").text("Verdict: ").element("span", verdict(report.pass()), "class", report.pass() ? "ok" : "bad");
        report.failure().ifPresent(line -> m.element("span", " " + line, "class", "failure"));
        m.close("p");
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "FAIL";
    }

    private static String shape(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("x", "[", "]"));
    }

    private static String depth(InputSummary i) {
        if (i.throughHead()) {
            return "every layer and the head";
        }
        return i.layers() == 0 ? "the embeddings only"
                : i.layers() == 1 ? "the embeddings and encoder layer 0"
                : "the embeddings and encoder layers 0-" + (i.layers() - 1);
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3e", v);
    }
}
