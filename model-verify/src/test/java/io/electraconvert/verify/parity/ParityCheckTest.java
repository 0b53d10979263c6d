package io.electraconvert.verify.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.json.JsonEnvelope;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.hf.weights.ProgressListener;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.verify.original.Provenance;
import io.electraconvert.hf.json.JsonEnvelope;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ParityCheck} as a library: every format of a folder checked in one run, config provenance, --strict. */
class ParityCheckTest {
    @TempDir
    Path tmp;

    @Test
    void everyFormatOfAFolderIsCheckedAndFloat32IsExact() throws Exception {
        Path out = convert("small", tmp.resolve("all"), UnaryOperator.identity());
        ParityReport report = ParityCheck.run(ParityRequest.of(Fixtures.checkpoint("small"), out, "discriminator"));
        assertTrue(report.pass(), report.failure().orElse(""));
        assertEquals(List.of("safetensors", "pytorch", "tf"), report.formats().stream().map(FormatResult::format).toList());
        for (FormatResult f : report.formats()) {
            assertEquals("F32", f.weightsDtype(), f.format());
            assertEquals(ParityCheck.FLOAT32_TOLERANCE, f.tolerance());
            // the sweep: embeddings; the random batch: embeddings, 2 layers, logits; max length: embeddings, layer 0
            assertEquals(List.of("vocabulary-sweep[4x32] (every id, position and type)",
                    "random[3x16] (padded to 16/10/5, token types 0/1)", "max-length[1x32]"),
                    report.inputs().stream().map(ParityReport.InputSummary::name).toList());
            assertEquals(1 + 4 + 2, f.comparisons().size(), f.format());
            f.comparisons().forEach(c -> assertEquals(0.0, c.maxAbsDiff(), f.format() + " " + c));
        }
        ConfigCheck heads = config(report, "num_attention_heads");
        assertEquals(4, heads.original());
        assertEquals(4, heads.folder());
        assertFalse(heads.provenance().unverified(), "hparams.json beside the checkpoint gives it: " + heads.provenance());
        assertEquals(Provenance.Kind.HPARAMS_FILE, heads.provenance().kind());
        assertEquals(Provenance.Kind.TENSOR_SHAPES, config(report, "hidden_size").provenance().kind());
    }

    @Test
    void oneMisconvertedFileFailsItsFormatAndTheRunButNotTheOthers() throws Exception {
        Path out = convert("small", tmp.resolve("mixed"), UnaryOperator.identity());
        Path wrong = convert("small", tmp.resolve("wrong"), plan -> transposeBecomesCopy(plan,
                "electra.encoder.layer.1.attention.output.dense.weight"));
        Files.copy(wrong.resolve("pytorch_model.bin"), out.resolve("pytorch_model.bin"),
                StandardCopyOption.REPLACE_EXISTING);
        ParityReport report = ParityCheck.run(ParityRequest.of(Fixtures.checkpoint("small"), out, "discriminator"));
        assertFalse(report.pass());
        assertEquals(List.of(true, false, true), report.formats().stream().map(FormatResult::pass).toList());
        TensorComparison first = report.formats().get(1).firstDivergence().orElseThrow();
        assertEquals("hidden_states[2]", first.tensor(), "encoder layer 1's output");
        assertTrue(report.failure().orElseThrow().startsWith("pytorch weights: first diverging tensor is hidden_states[2]"),
                report.failure().get());

        ParityReport safetensorsOnly = ParityCheck.run(ParityRequest.of(Fixtures.checkpoint("small"), out, "discriminator")
                .withFormats(List.of("safetensors")));
        assertTrue(safetensorsOnly.pass(), safetensorsOnly.failure().orElse(""));
    }

    @Test
    void aValueOnlyTheDefaultRuleGivesIsReportedAndFailsStrict() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        for (String f : List.of("checkpoint", "model.ckpt-1000.index", "model.ckpt-1000.data-00000-of-00001")) {
            Files.copy(Fixtures.checkpoint("small").resolve(f), bare.resolve(f)); // no hparams.json beside it
        }
        Path out = tmp.resolve("guessed");
        ElectraConverter.convert(ConversionRequest.of(bare, ElectraNetwork.DISCRIMINATOR, out), ProgressListener.NONE);

        ParityReport lenient = ParityCheck.run(ParityRequest.of(bare, out, "discriminator"));
        assertTrue(lenient.pass(), lenient.failure().orElse(""));
        ConfigCheck heads = config(lenient, "num_attention_heads");
        assertEquals(1, heads.original(), "google-research/electra's default: max(1, hidden_size // 64)");
        assertTrue(heads.provenance().unverified());
        assertEquals(List.of("num_attention_heads", "hidden_act"),
                lenient.unverified().stream().map(ConfigCheck::key).toList());

        ParityReport strict = ParityCheck.run(ParityRequest.of(bare, out, "discriminator").withStrict(true));
        assertFalse(strict.pass());
        assertTrue(strict.failure().orElseThrow().startsWith("unverified config values (--strict): num_attention_heads 1"),
                strict.failure().get());
        assertTrue(strict.formats().stream().allMatch(FormatResult::pass), "the numbers agree; only the provenance fails");

        ParityReport given = ParityCheck.run(ParityRequest.of(bare, out, "discriminator").withStrict(true)
                .withHparams(Fixtures.checkpoint("small").resolve("hparams.json")));
        assertFalse(given.pass(), "the hparams say 4 heads; the folder was converted with the rule's 1");
        assertTrue(given.failure().orElseThrow().contains("num_attention_heads 1 (checkpoint: 4"), given.failure().get());
    }

    @Test
    void theJsonReportCarriesEveryFormatAndEachConfigValuesSource() throws Exception {
        Path out = convert("small", tmp.resolve("json"), UnaryOperator.identity());
        ParityReport report = ParityCheck.run(ParityRequest.of(Fixtures.checkpoint("small"), out, "discriminator"));
        JsonNode json = new ObjectMapper().readTree(ParityReportJson.write(report));
        assertEquals(1, json.get("schema_version").asInt());
        assertEquals("verify_report", json.get("kind").asText());
        assertEquals("electra-convert", json.get("tool").asText());
        assertEquals(JsonEnvelope.toolVersion(), json.get("tool_version").asText());
        assertTrue(json.get("pass").asBoolean());
        assertTrue(json.get("failure").isNull());
        assertEquals(3, json.get("formats").size());
        JsonNode pytorch = json.get("formats").get(1);
        assertEquals("pytorch", pytorch.get("format").asText());
        assertEquals(out.resolve("pytorch_model.bin").toString(), pytorch.get("files").get(0).asText());
        assertEquals(List.of("hidden_states[0]", "hidden_states[1]", "hidden_states[2]", "logits"),
                pytorch.get("summary").findValuesAsText("tensor"));
        JsonNode heads = null;
        for (JsonNode c : json.get("config")) {
            if (c.get("key").asText().equals("num_attention_heads")) {
                heads = c;
            }
        }
        assertEquals(4, heads.get("checkpoint").asInt());
        assertEquals("hparams_file", heads.get("source").asText());
        assertTrue(heads.get("matches").asBoolean());
    }

    static Path convert(String fixture, Path out, UnaryOperator<ConversionPlan> planEdit) throws Exception {
        ConversionRequest request = ConversionRequest.of(Fixtures.checkpoint(fixture), ElectraNetwork.DISCRIMINATOR, out)
                .withHparams(Fixtures.checkpoint(fixture).resolve("hparams.json"))
                .withFormats(WeightsFormats.all());
        ElectraConverter.convert(request, ProgressListener.NONE, planEdit);
        return out;
    }

    static ConversionPlan transposeBecomesCopy(ConversionPlan plan, String key) {
        return plan.withTensors(plan.tensors().stream().map(t -> t.key().equals(key)
                ? new SchemaTensor(key, t.shape(), new TfSource.Copy(((TfSource.Transpose) t.source()).variable()))
                : t).toList());
    }

    private static ConfigCheck config(ParityReport report, String key) {
        return report.config().stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }
}
