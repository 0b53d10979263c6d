package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library jars on the module path, as a modular application uses them: a probe module that requires
 * tf-reader, hf-writer and model-verify by their Automatic-Module-Names opens a checkpoint (its index is parsed with
 * the protobuf classes tf-reader generates into itself; TensorFlow Java's once failed here with
 * NoClassDefFoundError), converts it and runs the forward pass. Needs the packaged jars, so it runs in
 * {@code mvn verify}; under {@code mvn test} the reactor's modules are class folders and it is skipped.
 */
class ModulePathTest {
    @TempDir
    Path tmp;

    @Test
    void theLibrariesWorkAsNamedModules() throws Exception {
        List<Path> modulePath = new ArrayList<>();
        for (RuntimeDependencies.Dependency d : RuntimeDependencies.read().all()) {
            if (d.artifactId().equals("picocli")) {
                continue; // the CLI's, not the libraries'
            }
            assumeTrue(d.file().toString().endsWith(".jar"), d.key() + " is " + d.file() + ", not yet a jar (run mvn verify)");
            modulePath.add(d.file());
        }
        Path classes = compileProbe();
        modulePath.add(classes);
        Path out = tmp.resolve("out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(java.toString(), "--module-path",
                modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "--add-modules", "ALL-MODULE-PATH,jdk.incubator.vector", "-m", "probe/probe.Probe",
                CliRun.fixture("small").toString(), out.toString())
                .redirectErrorStream(true).start();
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe hung");
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("modules io.electraconvert.tfreader io.electraconvert.hf io.electraconvert.verify"), output);
        assertTrue(output.contains("logits [logits]"), output);
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }

    private Path compileProbe() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("probe"));
        Files.writeString(src.resolve("module-info.java"), """
                module probe {
                    requires io.electraconvert.tfreader;
                    requires io.electraconvert.hf;
                    requires io.electraconvert.verify;
                }
                """);
        Files.writeString(src.resolve("probe/Probe.java"), """
                package probe;

                import io.electraconvert.hf.convert.ConversionRequest;
                import io.electraconvert.hf.convert.ElectraConverter;
                import io.electraconvert.hf.electra.ElectraNetwork;
                import io.electraconvert.tfreader.TfCheckpoint;
                import io.electraconvert.verify.model.ModelFolder;
                import io.electraconvert.verify.model.ModelInput;
                import java.nio.file.Path;
                import java.util.Optional;

                public final class Probe {
                    public static void main(String[] args) throws Exception {
                        Path checkpoint = Path.of(args[0]);
                        Path out = Path.of(args[1]);
                        try (TfCheckpoint c = TfCheckpoint.open(checkpoint)) {
                            System.out.println("tensors " + c.tensors().size());
                        }
                        ElectraConverter.convert(ConversionRequest.of(checkpoint, ElectraNetwork.DISCRIMINATOR, out), (d, t, n) -> {});
                        var output = ModelFolder.open(out).load(Optional.empty()).forward(ModelInput.of(new int[] {1, 3}, new int[] {2, 7, 3}));
                        System.out.println("modules " + TfCheckpoint.class.getModule().getName() + " "
                                + ElectraConverter.class.getModule().getName() + " " + ModelFolder.class.getModule().getName());
                        System.out.println("logits " + output.logits().keySet());
                    }
                }
                """);
        Path classes = tmp.resolve("classes");
        List<Path> modulePath = RuntimeDependencies.read().all().stream().map(RuntimeDependencies.Dependency::file).toList();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, messages, messages, "-d", classes.toString(), "--module-path",
                modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                src.resolve("module-info.java").toString(), src.resolve("probe/Probe.java").toString());
        assertEquals(0, rc, messages.toString(StandardCharsets.UTF_8));
        return classes;
    }
}
