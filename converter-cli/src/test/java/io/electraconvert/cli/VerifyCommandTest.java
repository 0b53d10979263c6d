package io.electraconvert.cli;

import static io.electraconvert.testsupport.XmlPages.elements;
import static io.electraconvert.testsupport.XmlPages.number;
import static io.electraconvert.testsupport.XmlPages.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.XmlPages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code verify}: clean conversions pass; each planted mistake fails with exit 3 naming where it first shows. */
class VerifyCommandTest {
    private static final List<String> FIXTURES = List.of("small", "base", "untied", "sharded", "released");

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyFixtureAndNetworkVerifies() {
        return FIXTURES.stream().flatMap(fixture -> Stream.of("discriminator", "generator").map(network ->
                DynamicTest.dynamicTest(fixture + " " + network, () -> {
                    Path out = ConvertedFolders.convert(fixture, network, shared.resolve(fixture + "-" + network));
                    Path report = shared.resolve(fixture + "-" + network + ".json");
                    CliRun run = ConvertedFolders.verify(fixture, network, out, "--report", report.toString());
                    assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
                    assertTrue(run.out().contains("hidden_states[0] (embeddings)"), run.out());
                    assertTrue(run.out().contains("logits"), run.out());
                    assertTrue(run.out().contains("PASS"), run.out());
                    if (network.equals("generator")) {
                        assertTrue(run.out().contains("top-1 agreement"), run.out());
                    }
                    JsonNode json = new ObjectMapper().readTree(report.toFile());
                    assertTrue(json.get("pass").asBoolean());
                    assertEquals("verify_report", json.get("kind").asText());
                    JsonNode format = json.get("formats").get(0);
                    assertEquals("safetensors", format.get("format").asText());
                    assertEquals(1e-5, format.get("tolerance").asDouble());
                    assertTrue(format.get("first_divergence").isNull());
                    assertTrue(json.get("inputs").size() >= 3, "random batch, max length, text: " + json.get("inputs"));
                    for (JsonNode c : format.get("comparisons")) {
                        assertEquals(0.0, c.get("max_abs_diff").asDouble(), "float32 conversion is exact: " + c);
                    }
                })));
    }

    /**
     * Every variant google-research/electra writes, converted and verified with no --hparams: each side finds the
     * hparams.json or .meta graph beside the checkpoint on its own, and the original side runs the original's head.
     */
    @TestFactory
    Stream<DynamicTest> everyVariantConvertsAndVerifies() {
        String[][] cases = {
                {"finetune-glue", "--model", "task", "--task", "mnli"},
                {"finetune-glue", "--model", "task", "--task", "sts"},
                {"finetune-glue", "--model", "body"},
                {"finetune-squad", "--model", "task"},
                {"finetune-tagging", "--model", "task"},
                {"mlm-only", "--model", "generator"},
                {"electric", "--model", "discriminator"},
                {"tied-generator", "--model", "generator"},
                {"uniform-generator", "--model", "discriminator"},
                {"meta-heads", "--model", "discriminator"},
        };
        return Stream.of(cases).map(c -> DynamicTest.dynamicTest(String.join(" ", c), () -> {
            List<String> choice = List.of(c).subList(1, c.length);
            Path out = tmp.resolve(String.join("_", c).replace("-", ""));
            List<String> convert = new ArrayList<>(List.of("convert", CliRun.fixture(c[0]).toString(),
                    "--out", out.toString(), "--quiet"));
            convert.addAll(choice);
            CliRun converted = CliRun.of(convert.toArray(String[]::new));
            assertEquals(ExitCodes.OK, converted.exitCode(), converted.err());
            List<String> verify = new ArrayList<>(List.of("verify", CliRun.fixture(c[0]).toString(),
                    out.toString()));
            verify.addAll(choice);
            CliRun run = CliRun.of(verify.toArray(String[]::new));
            assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
            assertTrue(run.out().contains("PASS"), run.out());
        }));
    }

    @Test
    void verifyTaskNeedsANameWhenTheCheckpointHasSeveral() throws Exception {
        Path out = tmp.resolve("mnli");
        assertEquals(ExitCodes.OK, CliRun.of("convert", CliRun.fixture("finetune-glue").toString(), "--model", "task",
                "--task", "mnli", "--out", out.toString(), "--quiet").exitCode());
        CliRun run = CliRun.of("verify", CliRun.fixture("finetune-glue").toString(), out.toString(), "--model", "task");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().endsWith("model.ckpt-3000.index: the checkpoint has the task heads mnli, sts: name one "
                + "with --task\n"), run.err());
        CliRun misplaced = CliRun.of("verify", CliRun.fixture("finetune-glue").toString(), out.toString(), "--model",
                "body", "--task", "mnli");
        assertEquals(ExitCodes.USAGE, misplaced.exitCode());
        assertTrue(misplaced.err().startsWith("electra-convert: --task applies to --model task, not --model body"),
                misplaced.err());
    }

    @Test
    void untransposedKernelIsCaughtAtLayer0() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        ConvertedFolders.rewriteWeights(out, t -> {
            String key = "electra.encoder.layer.0.attention.self.query.weight";
            var w = t.get(key);
            t.put(key, new ConvertedFolders.Weight(w.shape(), ConvertedFolders.transposed(w)));
        });
        Path reports = tmp.resolve("reports/not/yet/there"); // created for them
        Path report = reports.resolve("report.json");
        Path html = reports.resolve("report.html");
        CliRun run = ConvertedFolders.verify("small", "discriminator", out, "--report", report.toString(),
                "--html", html.toString());
        assertParityFailure(run, "hidden_states[1] (encoder layer 0)");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertFalse(json.get("pass").asBoolean());
        JsonNode divergence = json.get("formats").get(0).get("first_divergence");
        assertEquals("hidden_states[1]", divergence.get("tensor").asText());
        assertTrue(divergence.get("max_abs_diff").asDouble() > 1e-3);

        // the failing check wrote its page too, saying what stderr and the JSON say, the divergence marked in the chart
        Document page = XmlPages.parse(Files.readString(html));
        Element verdict = only(page, "header", "verdict");
        assertEquals("false", verdict.getAttribute("data-pass"));
        assertEquals(json.get("failure").asText(), only(verdict, "p", "failure").getTextContent());
        assertEquals("electra-convert: parity failure: " + json.get("failure").asText(), run.err().strip());
        Element chart = only(page, "svg", "parity-chart");
        assertEquals("safetensors", chart.getAttribute("data-format"));
        Element ring = only(chart, "g", "divergence");
        assertEquals(divergence.get("tensor").asText(), ring.getAttribute("data-tensor"));
        assertEquals(divergence.get("input").asText(), ring.getAttribute("data-input"));
        Element point = elements(chart, "circle", "point").stream()
                .filter(p -> p.getAttribute("data-tensor").equals("hidden_states[1]")
                        && p.getAttribute("data-input").equals(divergence.get("input").asText())).findFirst().orElseThrow();
        assertEquals(divergence.get("max_abs_diff").asDouble(), number(point, "data-max-abs-diff"));
        assertEquals(List.of("report.html", "report.json"), list(reports), "no temporary file left beside them");
    }

    @Test
    void htmlReportOfAPassingCheckReplacesAnOldOne() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"), "--format", "safetensors,pytorch");
        Path html = tmp.resolve("parity.html");
        Files.writeString(html, "an old report");
        CliRun run = ConvertedFolders.verify("small", "discriminator", out, "--html", html.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertEquals("", run.err());
        Document page = XmlPages.parse(Files.readString(html));
        assertEquals("true", only(page, "header", "verdict").getAttribute("data-pass"));
        assertEquals(List.of("safetensors", "pytorch"),
                elements(page, "svg", "parity-chart").stream().map(c -> c.getAttribute("data-format")).toList());
        assertEquals(0, elements(page, "g", "divergence").size());
        List<Element> points = elements(page, "circle", "point");
        assertFalse(points.isEmpty());
        for (Element p : points) { // float32 conversion is exact: every point on the zero row, passing
            assertEquals(0.0, number(p, "data-max-abs-diff"), p.getAttribute("data-tensor"));
            assertEquals(List.of("point", "pass", "zero"), List.of(p.getAttribute("class").split(" ")));
        }
        Element files = elements(page, "tr", null).stream().filter(r -> r.getAttribute("data-format").equals("pytorch"))
                .findFirst().orElseThrow();
        assertEquals(out.resolve("pytorch_model.bin").toString(), elements(files, "td", null).get(1).getTextContent().strip());
        assertEquals(List.of("parity.html"), list(tmp).stream().filter(n -> !n.equals("disc")).toList());
    }

    @Test
    void aReportPathThatCannotBeWrittenIsRefusedBeforeTheCheck() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        Path json = tmp.resolve("r.json");
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun intoFolder = ConvertedFolders.verify("small", "discriminator", out, "--report", json.toString(),
                "--html", folder.toString());
        assertBadInput(intoFolder, folder + ": is a directory; --html takes the file to write");
        assertEquals("", intoFolder.out(), "refused before the check ran");
        CliRun underFile = ConvertedFolders.verify("small", "discriminator", out, "--html", file.resolve("r.html").toString());
        assertBadInput(underFile, file.resolve("r.html") + ": " + file + " is not a directory");
        assertBadInput(ConvertedFolders.verify("small", "discriminator", out, "--report", folder.toString()),
                folder + ": is a directory; --report takes the file to write");
        CliRun same = ConvertedFolders.verify("small", "discriminator", out, "--report", json.toString(),
                "--html", tmp.resolve(".").resolve("r.json").toString());
        assertEquals(ExitCodes.USAGE, same.exitCode(), same.err());
        assertTrue(same.err().startsWith("electra-convert: --html and --report name the same file: "), same.err());
        assertEquals(List.of("a-file", "a-folder", "disc"), list(tmp), "nothing written");
        assertEquals(List.of(), list(folder));
    }

    @Test
    void oneAlteredEmbeddingRowIsCaughtByTheVocabularySweep() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        ConvertedFolders.rewriteWeights(out, t -> {
            float[] word = t.get("electra.embeddings.word_embeddings.weight").values(); // [100, 16]
            word[97 * 16 + 3] += 0.5f; // one element of one row the random inputs may never use
        });
        CliRun run = ConvertedFolders.verify("small", "discriminator", out);
        assertParityFailure(run, "hidden_states[0] (embeddings) on input vocabulary-sweep[4x32]");
    }

    @Test
    void swappedLayerNormIsCaughtAtItsLayer() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        swapWeightAndBias(out, "electra.encoder.layer.1.attention.output.LayerNorm.");
        assertParityFailure(ConvertedFolders.verify("small", "discriminator", out), "hidden_states[2] (encoder layer 1)");
    }

    @Test
    void swappedEmbeddingLayerNormIsCaughtAtTheEmbeddings() throws Exception {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen"));
        swapWeightAndBias(out, "electra.embeddings.LayerNorm.");
        assertParityFailure(ConvertedFolders.verify("small", "generator", out), "hidden_states[0] (embeddings)");
    }

    @Test
    void wrongHeadCountInConfigIsCaught() throws Exception {
        for (int heads : new int[] {2, 1}) {
            Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc-" + heads));
            ConvertedFolders.editConfig(out, c -> c.put("num_attention_heads", heads));
            CliRun run = ConvertedFolders.verify("small", "discriminator", out);
            assertParityFailure(run, "hidden_states[1] (encoder layer 0)");
            assertTrue(run.err().contains("num_attention_heads " + heads + " (checkpoint: 4)"), run.err());
        }
    }

    @Test
    void headsNotDividingHiddenIsAClearFailure() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        ConvertedFolders.editConfig(out, c -> c.put("num_attention_heads", 3));
        CliRun run = ConvertedFolders.verify("small", "discriminator", out);
        assertBadInput(run, "disc/config.json: hidden_size 32 is not a multiple of num_attention_heads 3");
    }

    @Test
    void configShapeDisagreeingWithWeightsIsAClearFailure() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        ConvertedFolders.editConfig(out, c -> c.put("intermediate_size", 64));
        CliRun run = ConvertedFolders.verify("small", "discriminator", out);
        assertParityFailure(run, "intermediate_size 64 (checkpoint: 128)");
        assertTrue(run.err().contains("does not load"), run.err());
    }

    @Test
    void halfPrecisionFolderUsesTheLooserTolerance() throws Exception {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen16"), "--dtype", "float16");
        Path report = tmp.resolve("r.json");
        CliRun run = ConvertedFolders.verify("small", "generator", out, "--report", report.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("F16 weights, tolerance 1e-02"), run.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(1e-2, json.get("formats").get(0).get("tolerance").asDouble());
        CliRun strict = ConvertedFolders.verify("small", "generator", out, "--tolerance", "1e-9");
        assertEquals(ExitCodes.PARITY_FAILURE, strict.exitCode(), strict.out() + strict.err());
    }

    @Test
    void strictFailsOnAConfigValueOnlyTheDefaultsGive() throws Exception {
        Path bare = CliRun.copyFixture("small", tmp);
        Files.delete(bare.resolve("hparams.json"));
        Path out = tmp.resolve("guessed");
        CliRun convert = CliRun.of("convert", bare.toString(), "--model", "discriminator", "--out", out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, convert.exitCode(), convert.err());
        CliRun lenient = CliRun.of("verify", bare.toString(), out.toString(), "--model", "discriminator");
        assertEquals(ExitCodes.OK, lenient.exitCode(), lenient.out() + lenient.err());
        assertTrue(lenient.out().contains("num_attention_heads"), lenient.out());
        CliRun strict = CliRun.of("verify", bare.toString(), out.toString(), "--model", "discriminator", "--strict");
        assertEquals(ExitCodes.PARITY_FAILURE, strict.exitCode(), strict.out() + strict.err());
        assertEquals(1, strict.err().lines().count(), strict.err());
        assertTrue(strict.err().startsWith("electra-convert: parity failure: unverified config values (--strict): "
                + "num_attention_heads 1 from rule"), strict.err());
    }

    @Test
    void textNeedsTheFolderVocabulary() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        CliRun run = ConvertedFolders.verify("small", "discriminator", out, "--text", "the quick brown fox");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("text[1x6] \"the quick brown fox\""), run.out());
        Files.delete(out.resolve("vocab.txt"));
        assertBadInput(ConvertedFolders.verify("small", "discriminator", out, "--text", "the quick"), "vocab.txt");
    }

    @Test
    void missingFolderConfigOrWeightsIsBadInput() throws Exception {
        assertBadInput(ConvertedFolders.verify("small", "discriminator", tmp.resolve("nope")), "no such folder");
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        Files.delete(out.resolve("model.safetensors"));
        assertBadInput(ConvertedFolders.verify("small", "discriminator", out), "disc: no weights file (looked for model.safetensors, model.safetensors.index.json");
        Files.delete(out.resolve("config.json"));
        assertBadInput(ConvertedFolders.verify("small", "discriminator", out), "config.json: not found");
    }

    @Test
    void wrongNetworkForTheFolderIsBadInput() throws Exception {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen"));
        assertBadInput(ConvertedFolders.verify("small", "discriminator", out), "ElectraForPreTraining");
    }

    private static void assertParityFailure(CliRun run, String culprit) {
        assertEquals(ExitCodes.PARITY_FAILURE, run.exitCode(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("electra-convert: parity failure: "), lines.get(0));
        assertTrue(lines.get(0).contains(culprit), "'" + culprit + "' in: " + lines.get(0));
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }

    private static void assertBadInput(CliRun run, String part) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(part), "'" + part + "' in: " + lines.get(0));
        assertNotEquals("", lines.get(0));
    }

    private static List<String> list(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Plants a swapped LayerNorm: the module's weight and bias trade places in the converted weights. */
    private static void swapWeightAndBias(Path out, String modulePrefix) throws Exception {
        ConvertedFolders.rewriteWeights(out, t -> {
            var weight = t.get(modulePrefix + "weight");
            t.put(modulePrefix + "weight", t.get(modulePrefix + "bias"));
            t.put(modulePrefix + "bias", weight);
        });
    }
}
