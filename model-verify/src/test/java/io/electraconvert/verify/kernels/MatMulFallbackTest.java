package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel selection in fresh JVMs, since it happens once per JVM at class initialisation. gelu(1) = 0.8413447 from both
 * row kernels (PyTorch: 0.8413447).
 */
class MatMulFallbackTest {

    @Test
    void withoutIncubatorModuleUsesScalarKernel() throws Exception {
        assertEquals("ScalarMatMulKernel ScalarRowKernels 24.0 0.8413447", probe(List.of()));
    }

    @Test
    void propertyForcesScalarKernel() throws Exception {
        assertEquals("ScalarMatMulKernel ScalarRowKernels 24.0 0.8413447",
                probe(List.of("--add-modules", "jdk.incubator.vector", "-Delectra.vector=false")));
    }

    @Test
    void withIncubatorModuleUsesVectorKernel() throws Exception {
        assertEquals("VectorMatMulKernel VectorRowKernels 24.0 0.8413447",
                probe(List.of("--add-modules", "jdk.incubator.vector")));
    }

    private static String probe(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), "probe JVM exit code");
        return out;
    }
}
