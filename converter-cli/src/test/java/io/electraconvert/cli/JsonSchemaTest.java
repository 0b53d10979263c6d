package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.electraconvert.hf.electra.ConfigSource;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.electra.DropReason;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.verify.parity.ParityReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON document the commands print, produced by real runs, is valid against its schema in docs/schemas
 * (which docs/json.md describes); the schemas are strict enough to catch an undocumented or missing field, and list
 * the same formats, networks and drop reasons as the code.
 */
class JsonSchemaTest {
    static final Path SCHEMAS = Fixtures.repoRoot().resolve("docs/schemas");
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @TempDir
    static Path shared;
    static Path generator;
    static Path discriminator;

    @BeforeAll
    static void convert() {
        generator = ConvertedFolders.convert("small", "generator", shared.resolve("generator"));
        discriminator = ConvertedFolders.convert("small", "discriminator", shared.resolve("discriminator"), "--format",
                "safetensors,pytorch,tf", "--max-shard-size", "40KiB");
    }

    static JsonSchema schema(String name) {
        return FACTORY.getSchema(SchemaLocation.of(SCHEMAS.resolve(name).toUri().toString()));
    }

    /** {@code json} is one document of {@code kind}, valid against its schema. */
    static JsonNode valid(JsonKind kind, String json) throws Exception {
        JsonNode doc = JSON.readTree(json);
        assertEquals(kind.id(), doc.path("kind").asText(), json);
        assertEquals(kind.schemaVersion, doc.path("schema_version").asInt(), json);
        assertEquals(System.getProperty("electra.project.version"), doc.path("tool_version").asText());
        Set<ValidationMessage> errors = schema(kind.id() + ".schema.json").validate(doc);
        assertEquals(Set.of(), errors, kind.id() + ": " + json);
        return doc;
    }

    static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCodes.OK, run.exitCode(), String.join(" ", args) + ": " + run.err());
        return run;
    }

    @TestFactory
    Stream<DynamicTest> checkpointInspectionOfEveryFixture() throws Exception {
        List<Path> checkpoints = new ArrayList<>();
        try (Stream<Path> s = Files.list(Fixtures.repoRoot().resolve("testdata/checkpoints"))) {
            s.sorted().forEach(checkpoints::add);
        }
        checkpoints.add(Fixtures.thirdParty("keras-bert-tiny"));
        checkpoints.add(Fixtures.thirdParty("tf-rust-regression-savedmodel"));
        return checkpoints.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(),
                () -> valid(JsonKind.CHECKPOINT_INSPECTION, ok("inspect", c.toString(), "--json").out())));
    }

    @Test
    void folderInspectionValidAndInvalid() throws Exception {
        JsonNode sharded = valid(JsonKind.FOLDER_INSPECTION, ok("inspect", discriminator.toString(), "--json").out());
        assertEquals(3, sharded.get("formats").size());
        assertTrue(sharded.at("/formats/0/sharded").asBoolean());

        Path broken = shared.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(generator.resolve("model.safetensors"), broken.resolve("model.safetensors"));
        Files.writeString(broken.resolve("config.json"), "{\"vocab_size\": ");
        CliRun run = CliRun.of("inspect", broken.toString(), "--json");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        JsonNode invalid = valid(JsonKind.FOLDER_INSPECTION, run.out());
        assertFalse(invalid.get("valid").asBoolean());
        assertTrue(invalid.at("/problems/0/format").isNull(), invalid.toString());
    }

    @Test
    void conversions() throws Exception {
        JsonNode half = valid(JsonKind.CONVERSION, ok("convert", CliRun.fixture("small").toString(), "-m", "generator", "-o",
                shared.resolve("half").toString(), "--dtype", "bfloat16", "--format", "safetensors,pytorch",
                "--max-shard-size", "20KiB", "--vocab", Fixtures.vocab().toString(), "--json").out());
        assertEquals(half.at("/formats/safetensors/tensor_bytes"), half.at("/formats/pytorch/tensor_bytes"));
        assertEquals(3, half.at("/formats/safetensors/files").size(), half.toString()); // 2 shards and the index
        assertEquals(half.get("tensor_count").asInt(), half.get("max_rounding_errors").size());

        JsonNode replaced = valid(JsonKind.CONVERSION, ok("convert", CliRun.fixture("small").toString(), "-m", "generator", "-o",
                shared.resolve("half").toString(), "--format", "tf", "-f", "--json").out());
        assertTrue(replaced.get("vocab").isNull());
        assertTrue(replaced.get("replaced_files").size() > 0, replaced.toString());
        assertEquals(0, replaced.get("max_rounding_errors").size());
    }

    @Test
    void predictions() throws Exception {
        JsonNode masked = valid(JsonKind.PREDICTION, ok("predict", generator.toString(), "--text", "the [MASK] fox [MASK]",
                "--top", "3", "--json").out());
        assertEquals(2, masked.get("masks").size());
        assertEquals(3, masked.at("/masks/0/candidates").size());
        JsonNode replaced = valid(JsonKind.PREDICTION, ok("predict", discriminator.toString(), "--text", "the quick fox",
                "--json").out());
        assertEquals(replaced.get("tokens").size(), replaced.get("replaced").size());
    }

    @Test
    void verifyReportsPassingAndFailing() throws Exception {
        assertEquals(ParityReportJson.KIND, JsonKind.VERIFY_REPORT.id());
        Path passed = shared.resolve("passed.json");
        ok("verify", CliRun.fixture("small").toString(), discriminator.toString(), "-m", "discriminator", "--report",
                passed.toString(), "--text", "the quick fox");
        JsonNode pass = valid(JsonKind.VERIFY_REPORT, Files.readString(passed));
        assertTrue(pass.get("pass").asBoolean());
        assertEquals(3, pass.get("formats").size());

        Path task = shared.resolve("sts");
        ok("convert", CliRun.fixture("finetune-glue").toString(), "-m", "task", "--task", "sts", "-o", task.toString(), "-q");
        ConvertedFolders.editConfig(task, c -> c.put("num_attention_heads", 1));
        Path failed = shared.resolve("failed.json");
        CliRun run = CliRun.of("verify", CliRun.fixture("finetune-glue").toString(), task.toString(), "-m", "task",
                "--task", "sts", "--report", failed.toString());
        assertEquals(ExitCodes.PARITY_FAILURE, run.exitCode(), run.err());
        JsonNode fail = valid(JsonKind.VERIFY_REPORT, Files.readString(failed));
        assertFalse(fail.get("pass").asBoolean());
        assertEquals("sts", fail.get("network").asText());
    }

    @Test
    void conversionOfATaskHead() throws Exception {
        JsonNode mnli = valid(JsonKind.CONVERSION, ok("convert", CliRun.fixture("finetune-glue").toString(), "-m", "task",
                "--task", "mnli", "-o", shared.resolve("mnli").toString(), "--json").out());
        assertEquals("task", mnli.get("model").asText());
        assertEquals("mnli", mnli.get("task").asText());
        assertEquals("ElectraForSequenceClassification", mnli.get("architecture").asText());
        assertEquals(List.of("contradiction", "entailment", "neutral"), texts(mnli.at("/config/id2label")));
        assertEquals("task_definition", mnli.at("/provenance/id2label/sources/0/kind").asText());
        assertEquals(2, mnli.at("/dropped/other_task/count").asInt());
    }

    @Test
    void forwardOutputs() throws Exception {
        Path inputs = shared.resolve("inputs.json");
        Files.writeString(inputs, "{\"input_ids\": [[2, 7, 9, 3], [2, 8, 3, 0]], \"attention_mask\": [[1, 1, 1, 1], [1, 1, 1, 0]]}");
        JsonNode out = valid(JsonKind.FORWARD_OUTPUTS, ok("forward", discriminator.toString(), "--inputs", inputs.toString(),
                "--hidden-states", "--format", "tf").out());
        assertEquals(2, out.at("/outputs/logits").size());
        assertEquals(3, out.get("hidden_states").size()); // embeddings and 2 layers
    }

    @Test
    void everyKindHasASchemaAndADescription() throws Exception {
        String doc = Files.readString(Fixtures.repoRoot().resolve("docs/json.md"));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(SCHEMAS)) {
            s.map(p -> p.getFileName().toString()).forEach(files::add);
        }
        for (JsonKind kind : JsonKind.values()) {
            String file = kind.id() + ".schema.json";
            assertTrue(files.contains(file), file);
            JsonNode schema = JSON.readTree(SCHEMAS.resolve(file).toFile());
            assertEquals(kind.id(), schema.at("/properties/kind/const").asText(), file);
            assertEquals(kind.schemaVersion, schema.at("/properties/schema_version/const").asInt(), file);
            assertTrue(doc.contains("`" + kind.id() + "`"), "docs/json.md describes " + kind.id());
            assertTrue(doc.contains("schemas/" + file), "docs/json.md links " + file);
        }
    }

    @Test
    void schemasAreValidJsonSchemas() throws Exception {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        try (Stream<Path> s = Files.list(SCHEMAS)) {
            for (Path file : s.toList()) {
                assertEquals(Set.of(), meta.validate(JSON.readTree(file.toFile())), file.toString());
            }
        }
    }

    @Test
    void schemasListWhatTheCodeDefines() throws Exception {
        JsonNode defs = JSON.readTree(SCHEMAS.resolve("common.schema.json").toFile()).get("$defs");
        assertEquals(WeightsFormats.all().stream().map(WeightsFormat::name).toList(), texts(defs.at("/format_name/enum")));
        List<String> models = new ArrayList<>(Arrays.stream(ElectraNetwork.values()).map(ElectraNetwork::cliName).toList());
        models.addAll(List.of(ModelChoice.body().cliName(), ModelChoice.task().cliName()));
        assertEquals(models, texts(defs.at("/model/enum")));
        assertEquals(Arrays.stream(ConfigSource.Kind.values()).map(ConfigSource.Kind::jsonName).toList(),
                texts(defs.at("/provenance/additionalProperties/properties/sources/items/properties/kind/enum")));
        assertEquals(Arrays.stream(DropReason.values()).map(DropReason::id).toList(), texts(defs.at("/dropped/propertyNames/enum")));
    }

    @Test
    void schemasAreStrict() throws Exception {
        ObjectNode doc = (ObjectNode) valid(JsonKind.PREDICTION, ok("predict", generator.toString(), "--text", "a [MASK]", "--json").out());
        JsonSchema schema = schema("prediction.schema.json");
        assertFalse(schema.validate(doc.deepCopy().without("tool_version")).isEmpty(), "the envelope is required");
        assertFalse(schema.validate(doc.deepCopy().put("comment", "x")).isEmpty(), "undocumented fields are refused");
        assertFalse(schema.validate(doc.deepCopy().put("kind", "conversion")).isEmpty(), "the kind is fixed");
        ObjectNode missing = doc.deepCopy();
        ((ObjectNode) missing.at("/masks/0/candidates/0")).remove("probability");
        assertFalse(schema.validate(missing).isEmpty(), "nested fields are checked");
        assertTrue(schema.validate(JSON.readTree(doc.toString().getBytes(StandardCharsets.UTF_8))).isEmpty());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
