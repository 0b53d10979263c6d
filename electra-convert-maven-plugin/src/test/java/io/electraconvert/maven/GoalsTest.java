package io.electraconvert.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.testsupport.Fixtures;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals as Maven calls them (fields set, then {@code execute}), on the small fixture: what passes, and which
 * exception each kind of failure is (a {@link MojoFailureException} for the user's mistake, a
 * {@link MojoExecutionException} for the plugin's own trouble). The Maven builds themselves are in src/it.
 */
class GoalsTest {
    private static final File SMALL = Fixtures.checkpoint("small").toFile();

    @TempDir
    Path tmp;

    private ConvertMojo convert(Path out) {
        ConvertMojo mojo = new ConvertMojo();
        mojo.checkpoint = SMALL;
        mojo.model = "discriminator";
        mojo.out = out.toFile();
        mojo.hparams = new File(SMALL, "hparams.json");
        mojo.formats = List.of("safetensors");
        mojo.dtype = "float32";
        mojo.setLog(new RecordingLog());
        return mojo;
    }

    private VerifyMojo verify(Path folder, boolean fork) {
        VerifyMojo mojo = new VerifyMojo();
        mojo.checkpoint = SMALL;
        mojo.folder = folder.toFile();
        mojo.model = "discriminator";
        mojo.fork = fork;
        mojo.setLog(new RecordingLog());
        return mojo;
    }

    private Path converted() throws Exception {
        Path out = tmp.resolve("model");
        convert(out).execute();
        return out;
    }

    @Test
    void convertThenVerifyInMavensJvm() throws Exception {
        Path out = converted();
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        VerifyMojo verify = verify(out, false);
        verify.report = tmp.resolve("reports/parity.json").toFile();
        verify.execute();
        String log = ((RecordingLog) verify.getLog()).text();
        // this JVM has no jdk.incubator.vector (surefire adds no module), so the scalar kernel ran, and says why
        assertTrue(log.contains("[INFO] matmul kernel: scalar (jdk.incubator.vector is not in Maven's JVM; fork=true"), log);
        assertTrue(log.contains("[INFO] PASS: the converted model matches the checkpoint"), log);
        JsonNode report = new ObjectMapper().readTree(verify.report);
        assertTrue(report.get("pass").asBoolean());
        assertEquals("scalar", report.get("matmul").asText());
    }

    @Test
    void verifyForksAJvmWithTheVectorKernel() throws Exception {
        VerifyMojo verify = verify(converted(), true);
        verify.jvmArgs = List.of("-Delectra.vector=true"); // the fixture is narrower than the vector kernel's default
        verify.report = tmp.resolve("parity.json").toFile();
        verify.execute();
        String log = ((RecordingLog) verify.getLog()).text();
        assertTrue(log.contains("[INFO] matmul kernel: vector (jdk.incubator.vector, forked JVM)"), log);
        assertEquals("vector", new ObjectMapper().readTree(verify.report).get("matmul").asText());
    }

    @Test
    void aForkedJvmThatCannotStartIsThePluginsError() throws Exception {
        VerifyMojo verify = verify(converted(), true);
        verify.jvmArgs = List.of("-XX:+NoSuchOption");
        MojoExecutionException e = assertThrows(MojoExecutionException.class, verify::execute);
        assertEquals("the forked verify JVM exited with code 1 and no result: Unrecognized VM option 'NoSuchOption'",
                e.getMessage());
    }

    @Test
    void aParityFailureFailsTheBuildNamingTheConfigValue() throws Exception {
        Path out = tmp.resolve("model");
        ConvertMojo convert = convert(out);
        convert.execute();
        // a converter that got the head count wrong: google-research/electra's default rule gives 1, the hparams 4
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(out.resolve("config.json").toFile());
        Files.writeString(out.resolve("config.json"), config.put("num_attention_heads", 1).toString());
        VerifyMojo verify = verify(out, false);
        verify.report = tmp.resolve("parity.json").toFile();
        MojoFailureException e = assertThrows(MojoFailureException.class, verify::execute);
        assertTrue(e.getMessage().startsWith("safetensors weights: first diverging tensor is hidden_states[1] (encoder "
                + "layer 0)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("config.json differs from the checkpoint: num_attention_heads 1 "
                + "(checkpoint: 4)"), e.getMessage());
        assertFalse(new ObjectMapper().readTree(verify.report).get("pass").asBoolean());
    }

    @Test
    void badParametersFailTheBuildNamingThem() {
        VerifyMojo verify = verify(tmp, false);
        verify.model = null;
        assertEquals("parameter 'model': not set; give discriminator, generator, body or task",
                assertThrows(MojoFailureException.class, verify::execute).getMessage());
        verify.model = "discrimnator";
        assertEquals("parameter 'model': expected discriminator, generator, body or task, got 'discrimnator'",
                assertThrows(MojoFailureException.class, verify::execute).getMessage());
        verify.model = "discriminator";
        verify.tolerance = "1e-5x";
        assertEquals("parameter 'tolerance': '1e-5x' is not a number",
                assertThrows(MojoFailureException.class, verify::execute).getMessage());
        verify.tolerance = null;
        verify.formats = List.of("safetensors", "onnx");
        assertEquals("parameter 'formats': unknown format 'onnx' (expected safetensors, pytorch, tf)",
                assertThrows(MojoFailureException.class, verify::execute).getMessage());

        ConvertMojo convert = convert(tmp.resolve("model"));
        convert.dtype = "float64";
        assertTrue(assertThrows(MojoFailureException.class, convert::execute).getMessage()
                .startsWith("parameter 'dtype': "));
        convert.dtype = "float32";
        convert.model = "bdy";
        assertEquals("parameter 'model': expected discriminator, generator, body or task, got 'bdy'",
                assertThrows(MojoFailureException.class, convert::execute).getMessage());
        convert.model = "body";
        convert.task = "mnli";
        assertEquals("parameter 'task': applies to model task, not model body",
                assertThrows(MojoFailureException.class, convert::execute).getMessage());
        convert.model = "task";
        convert.labels = List.of("yes", "yes");
        assertEquals("parameter 'labels': names 'yes' twice",
                assertThrows(MojoFailureException.class, convert::execute).getMessage());
        assertFalse(Files.exists(tmp.resolve("model")));
    }

    @Test
    void aFineTunedTaskHeadConvertsAndVerifies() throws Exception {
        File glue = Fixtures.checkpoint("finetune-glue").toFile();
        ConvertMojo convert = convert(tmp.resolve("mnli"));
        convert.checkpoint = glue;
        convert.hparams = null; // its hparams.json lies beside it
        convert.model = "task";
        convert.task = "mnli";
        convert.execute();
        assertTrue(((RecordingLog) convert.getLog()).text().contains("converted task mnli -> "));
        VerifyMojo verify = verify(tmp.resolve("mnli"), false);
        verify.checkpoint = glue;
        verify.model = "task";
        verify.task = "mnli";
        verify.execute();
        assertTrue(((RecordingLog) verify.getLog()).text().contains("[INFO] PASS: the converted model matches"));
        verify.task = "sts";
        assertTrue(assertThrows(MojoFailureException.class, verify::execute).getMessage().contains("num_labels"));
    }

    @Test
    void aMissingFolderFailsTheBuildNamingIt() {
        Path missing = tmp.resolve("nothing-here");
        MojoFailureException e = assertThrows(MojoFailureException.class, verify(missing, false)::execute);
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void convertKeepsAnExistingModelUnlessToldToReplaceIt() throws Exception {
        Path out = converted();
        ConvertMojo again = convert(out);
        assertEquals(out + ": already holds model files (config.json, model.safetensors); set overwrite to true "
                        + "(-Delectra.overwrite) to replace them (other files in the folder are kept)",
                assertThrows(MojoFailureException.class, again::execute).getMessage());
        again.overwrite = true;
        again.execute();
        assertTrue(((RecordingLog) again.getLog()).text().contains("replaced the previous model's"));
    }

    @Test
    void skipDoesNothing() throws Exception {
        VerifyMojo verify = verify(tmp.resolve("nothing-here"), false);
        verify.skip = true;
        verify.execute();
        ConvertMojo convert = convert(tmp.resolve("model"));
        convert.skip = true;
        convert.execute();
        assertFalse(Files.exists(tmp.resolve("model")));
    }
}
