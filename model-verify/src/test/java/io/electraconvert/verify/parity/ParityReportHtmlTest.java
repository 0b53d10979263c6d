package io.electraconvert.verify.parity;

import static io.electraconvert.testsupport.XmlPages.elements;
import static io.electraconvert.testsupport.XmlPages.number;
import static io.electraconvert.testsupport.XmlPages.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.testsupport.XmlPages;
import io.electraconvert.verify.original.Provenance;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.InputSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The HTML report read back as data: the chart's points carry the report's exact figures, a planted mistake is marked
 * where it first shows, and text from files cannot break the page.
 */
class ParityReportHtmlTest {
    static final String QUERY_0 = "electra.encoder.layer.0.attention.self.query.weight";
    static final String RANDOM = "random[3x16] (padded to 16/10/5, token types 0/1)";
    static final String SWEEP = "vocabulary-sweep[4x32] (every id, position and type)";
    static final String LONG = "max-length[1x32]";

    @TempDir
    static Path tmp;

    static ParityReport planted;

    @BeforeAll
    static void plantAMistake() throws Exception {
        planted = plantedReport(tmp);
    }

    /** Every format of the small discriminator, with layer 0's query kernel copied where it must be transposed. */
    static ParityReport plantedReport(Path dir) throws Exception {
        Path out = ParityCheckTest.convert("small", dir.resolve("query0"),
                plan -> ParityCheckTest.transposeBecomesCopy(plan, QUERY_0));
        return ParityCheck.run(ParityRequest.of(Fixtures.checkpoint("small"), out, "discriminator"));
    }

    @Test
    void theChartMarksTheFirstDivergenceAtEncoderLayer0InEveryFormat() throws Exception {
        assertFalse(planted.pass());
        Document page = XmlPages.parse(ParityReportHtml.write(planted));
        assertEquals("http://www.w3.org/1999/xhtml", page.getDocumentElement().getNamespaceURI());
        List<Element> charts = elements(page, "svg", "parity-chart");
        assertEquals(List.of("safetensors", "pytorch", "tf"), charts.stream().map(c -> c.getAttribute("data-format")).toList());
        for (int f = 0; f < 3; f++) {
            FormatResult format = planted.formats().get(f);
            Element chart = charts.get(f);
            assertEquals("http://www.w3.org/2000/svg", chart.getNamespaceURI());
            assertEquals(1e-5, number(chart, "data-tolerance"));

            Element divergence = only(chart, "g", "divergence");
            assertEquals("hidden_states[1]", divergence.getAttribute("data-tensor"), format.format());
            assertEquals(RANDOM, divergence.getAttribute("data-input"), "the first input at that stage");

            // one point per comparison, each as deep as its input went, carrying the report's figures exactly
            List<Element> points = elements(chart, "circle", "point");
            List<String> drawn = points.stream().map(p -> p.getAttribute("data-tensor") + " @ " + p.getAttribute("data-input")).toList();
            assertEquals(List.of("hidden_states[0] @ " + SWEEP,
                    "hidden_states[0] @ " + RANDOM, "hidden_states[1] @ " + RANDOM, "hidden_states[2] @ " + RANDOM,
                    "logits @ " + RANDOM,
                    "hidden_states[0] @ " + LONG, "hidden_states[1] @ " + LONG), drawn);
            for (Element p : points) {
                TensorComparison c = format.comparisons().stream().filter(x -> x.tensor().equals(p.getAttribute("data-tensor"))
                        && x.input().equals(p.getAttribute("data-input"))).findFirst().orElseThrow();
                assertEquals(c.maxAbsDiff(), number(p, "data-max-abs-diff"));
                assertEquals(c.maxRelDiff(), number(p, "data-max-rel-diff"));
                assertEquals(c.cosine(), number(p, "data-cosine"));
                assertEquals(Boolean.toString(c.pass()), p.getAttribute("data-pass"));
            }
            // the embeddings are exact (the mistake is in layer 0): on the zero row, under the tolerance line;
            // every point from layer 0 on failed, above it, in red
            double tolerance = number(only(chart, "line", "tolerance"), "y1");
            for (Element p : points) {
                boolean embeddings = p.getAttribute("data-tensor").equals("hidden_states[0]");
                assertEquals(embeddings, classes(p).contains("zero"), p.getAttribute("data-tensor"));
                assertEquals(embeddings ? "pass" : "fail", classes(p).get(1));
                assertEquals(embeddings, number(p, "cy") > tolerance, "under the line: " + p.getAttribute("data-tensor"));
                assertEquals(embeddings ? "#ffffff" : ParityChart.color(1 + List.of(RANDOM, LONG).indexOf(
                        p.getAttribute("data-input"))), p.getAttribute("fill"), "hollow when exact, else the input's colour");
                assertEquals(embeddings ? ParityChart.color(List.of(SWEEP, RANDOM, LONG).indexOf(p.getAttribute("data-input")))
                        : ParityChart.FAIL_COLOR, p.getAttribute("stroke"), "outlined in red when it failed");
            }
            assertEquals(1, points.stream().filter(p -> classes(p).contains("zero")).mapToDouble(p -> number(p, "cy"))
                    .distinct().count(), "one zero row");
            // the ring is round the diverging point, the band over its column
            Element first = points.get(2);
            Element ring = (Element) divergence.getElementsByTagNameNS("*", "circle").item(0);
            assertEquals(number(first, "cx"), number(ring, "cx"));
            assertEquals(number(first, "cy"), number(ring, "cy"));
            Element band = only(chart, "rect", "divergence-band");
            assertTrue(number(band, "x") < number(first, "cx") && number(first, "cx") < number(band, "x") + number(band, "width"));
            assertEquals(ParityChart.DIVERGENCE_FILL, band.getAttribute("fill"));
            assertEquals(List.of("embeddings", "layer 0", "layer 1", "logits"),
                    elements(chart, "text", "stage").stream().map(ParityReportHtmlTest::ownText).toList());
        }
        assertEquals("false", only(page, "header", "verdict").getAttribute("data-pass"));
        assertEquals(planted.failure().orElseThrow(), only(only(page, "header", "verdict"), "p", "failure").getTextContent());
        assertTrue(planted.failure().get().startsWith("safetensors weights: first diverging tensor is hidden_states[1] "
                + "(encoder layer 0) on input " + RANDOM), planted.failure().get());
    }

    @Test
    void theConfigShowsEachValuesSourceAndTheFilesTheirFormat() throws Exception {
        Document page = XmlPages.parse(ParityReportHtml.write(planted));
        Element heads = row(page, "data-key", "num_attention_heads");
        assertEquals(List.of("num_attention_heads", "4", "4", "hparams file",
                config(planted, "num_attention_heads").provenance().detail(), ""), cells(heads));
        assertEquals("", heads.getAttribute("class"), "matches, and a file gives it");
        assertEquals("tensor shapes", cells(row(page, "data-key", "hidden_size")).get(3));
        Element files = row(page, "data-format", "pytorch");
        assertEquals(planted.folder().resolve("pytorch_model.bin").toString(), cells(files).get(1));
        assertEquals("1e-05", cells(files).get(3));
        assertTrue(cells(files).get(4).startsWith("FAIL" + ParityCheck.describe(
                planted.formats().get(1).firstDivergence().orElseThrow(), 1e-5)), cells(files).get(4));
        assertEquals(List.of(SWEEP, RANDOM, LONG), elements(page, "tr", null).stream()
                .filter(r -> r.hasAttribute("data-input")).map(r -> r.getAttribute("data-input")).toList());
    }

    @Test
    void textFromFilesIsEscapedAndNonFiniteFiguresHaveTheirRow() throws Exception {
        String evil = "<script>alert(\"x\")</script> & 'q' ]]> \u0001\uD800\ttab\nline";
        String shown = "<script>alert(\"x\")</script> & 'q' ]]> \\u0001\\uD800\ttab\nline"; // what XML can hold
        String mismatch = "shape [1, 2] in the converted model, [1, 3] in the original";
        ConfigCheck act = new ConfigCheck("hidden_act", "gelu", new Provenance(Provenance.Kind.RULE, "default <gelu> & co"),
                "gelu");
        FormatResult loaded = new FormatResult("safetensors", List.of(Path.of("out/<b>&.safetensors")), "F32", 1e-5,
                Optional.empty(), List.of(new TensorComparison("hidden_states[0]", evil, 0, 0, 1, true, null),
                new TensorComparison("hidden_states[1]", evil, 2.5e-7, 2.5e-7, 0.9999, true, null),
                TensorComparison.mismatch("logits", evil, mismatch)), new long[2]);
        FormatResult broken = new FormatResult("pytorch", List.of(Path.of("out/pytorch_model.bin")), "F32", 1e-5,
                Optional.of("no tensor <x>"), List.of(), new long[2]);
        ParityReport report = new ParityReport(Path.of("ck<pt>&"), Path.of("out"), "discriminator",
                List.of(new InputSummary(evil, new int[] {1, 4}, InputBattery.ALL_LAYERS)), List.of(act),
                List.of(loaded, broken), true, "scalar", Optional.of("safetensors weights: <b>bold</b> & more"));
        String html = ParityReportHtml.write(report);
        assertFalse(html.contains("<script") || html.contains("<b>"), "nothing from a name is markup");
        Document page = XmlPages.parse(html);
        assertEquals(0, elements(page, "script", null).size() + elements(page, "b", null).size());
        assertEquals("safetensors weights: <b>bold</b> & more", only(only(page, "header", "verdict"), "p", "failure").getTextContent());

        Element chart = only(page, "svg", "parity-chart"); // the pytorch model did not load: no chart for it
        List<Element> points = elements(chart, "circle", "point");
        assertEquals(List.of(shown, shown, shown), points.stream().map(p -> p.getAttribute("data-input")).toList());
        Element nan = points.get(2);
        assertEquals(List.of("point", "fail", "nan"), classes(nan));
        assertEquals("NaN", nan.getAttribute("data-max-abs-diff"));
        double tolerance = number(only(chart, "line", "tolerance"), "y1");
        assertTrue(number(nan, "cy") < tolerance && tolerance < number(points.get(1), "cy")
                && number(points.get(1), "cy") < number(points.get(0), "cy"), "top down: NaN row, 1e-5, 2.5e-7, zero row");
        assertEquals(2, elements(chart, "circle", "cosine-point").size(), "a mismatch has no cosine");
        assertEquals("logits", only(chart, "g", "divergence").getAttribute("data-tensor"));

        Element pytorch = elements(page, "section", "format").get(1);
        assertEquals(0, elements(pytorch, "svg", null).size());
        assertEquals("converted model does not load: no tensor <x>", only(pytorch, "p", "failure").getTextContent());
        Element unverified = row(page, "data-key", "hidden_act");
        assertEquals("unverified", unverified.getAttribute("class"));
        assertEquals(List.of("hidden_act", "gelu", "gelu", "rule", "default <gelu> & co", "unverified"), cells(unverified));
    }

    /** The largest tolerance --tolerance takes and the extremes of double: a bounded chart, every coordinate finite. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // an unbounded scale: fail, never hang
    void extremeFiguresStayOnABoundedScale() throws Exception {
        FormatResult format = new FormatResult("safetensors", List.of(Path.of("out/model.safetensors")), "F32", 1e308,
                Optional.empty(), List.of(new TensorComparison("hidden_states[0]", "a", Double.MIN_VALUE, 0, 1, true, null),
                new TensorComparison("hidden_states[1]", "a", 1e-30, 0, 1, true, null),
                new TensorComparison("logits", "a", Double.MAX_VALUE, Double.MAX_VALUE, -1, true, null)), new long[2]);
        ParityReport report = new ParityReport(Path.of("ckpt"), Path.of("out"), "discriminator",
                List.of(new InputSummary("a", new int[] {1, 4}, InputBattery.ALL_LAYERS)), List.of(), List.of(format),
                false, "scalar", Optional.empty());
        Element chart = only(XmlPages.parse(ParityReportHtml.write(report)), "svg", "parity-chart");
        int values = 0;
        for (Element e : elements(chart, "*", null)) {
            for (String a : List.of("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height")) {
                if (e.hasAttribute(a)) {
                    assertTrue(Double.isFinite(number(e, a)), e.getLocalName() + " " + a + "=" + e.getAttribute(a));
                    values++;
                }
            }
        }
        assertTrue(values > 0);
        // decades 10^-45 (the lowest drawn) to 10^309: one grid line each, a dozen labelled
        assertEquals(309 + 45 + 1, elements(chart, "line", null).stream().filter(l -> l.getAttribute("stroke").equals("#e3e3e3")
                && l.getAttribute("y1").equals(l.getAttribute("y2"))).count() - 5, "the cosine panel has 5");
        List<Element> points = elements(chart, "circle", "point");
        assertTrue(number(points.get(2), "cy") < number(points.get(1), "cy")
                && number(points.get(1), "cy") < number(points.get(0), "cy"), "MAX_VALUE over 1e-30 over MIN_VALUE");
        assertEquals(number(points.get(2), "cy"), number(only(chart, "line", "tolerance"), "y1"), 30.0,
                "the tolerance line near the top decade");
    }

    private static List<String> classes(Element e) {
        return List.of(e.getAttribute("class").split(" "));
    }

    /** The element's own text, without its {@code <title>} tooltip. */
    static String ownText(Element e) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < e.getChildNodes().getLength(); i++) {
            if (e.getChildNodes().item(i).getNodeType() == org.w3c.dom.Node.TEXT_NODE) {
                b.append(e.getChildNodes().item(i).getNodeValue());
            }
        }
        return b.toString().strip();
    }

    private static Element row(Document page, String attribute, String value) {
        List<Element> rows = elements(page, "tr", null).stream().filter(r -> r.getAttribute(attribute).equals(value)).toList();
        assertEquals(1, rows.size(), attribute + "=" + value);
        return rows.get(0);
    }

    private static List<String> cells(Element row) {
        List<String> cells = new ArrayList<>();
        for (Element td : elements(row, "td", null)) {
            cells.add(td.getTextContent().strip().replaceAll("\\s*\n\\s*", ""));
        }
        return cells;
    }

    private static ConfigCheck config(ParityReport report, String key) {
        return report.config().stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }
}
