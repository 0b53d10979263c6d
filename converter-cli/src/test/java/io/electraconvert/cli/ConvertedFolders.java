package io.electraconvert.cli;

import io.electraconvert.tensor.DType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.formats.safetensors.SafetensorsEntry;
import io.electraconvert.hf.formats.safetensors.SafetensorsFile;
import io.electraconvert.hf.formats.safetensors.SafetensorsWriter;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Test helpers: convert a fixture with the CLI, and plant mistakes in the converted folder. */
final class ConvertedFolders {
    private ConvertedFolders() {}

    static Path convert(String fixture, String network, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("convert", CliRun.fixture(fixture).toString(), "--model", network,
                "--out", out.toString(), "--quiet", "--hparams", CliRun.fixture(fixture).resolve("hparams.json").toString(),
                "--vocab", Fixtures.vocab().toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exitCode(), "convert " + fixture + " " + network + ": " + run.err());
        return out;
    }

    static CliRun verify(String fixture, String network, Path folder, String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", CliRun.fixture(fixture).toString(), folder.toString(),
                "--model", network, "--hparams", CliRun.fixture(fixture).resolve("hparams.json").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** The names of the files in {@code dir}, sorted. */
    static List<String> fileNames(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A tensor read back from a safetensors file. */
    record Weight(long[] shape, float[] values) {}

    /** Rewrites {@code model.safetensors} (as float32) after {@code edit} changed the tensors. */
    static void rewriteWeights(Path folder, Consumer<Map<String, Weight>> edit) throws Exception {
        Path file = folder.resolve("model.safetensors");
        Map<String, Weight> tensors = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (SafetensorsEntry e : st.tensors().values()) {
                tensors.put(e.name(), new Weight(e.shape(), st.readFloats(e.name())));
            }
        }
        edit.accept(tensors);
        List<OutputTensor> out = new ArrayList<>();
        tensors.forEach((name, w) -> out.add(new OutputTensor(name, w.shape(), () -> {
            ByteBuffer b = ByteBuffer.allocate(w.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(w.values());
            return b;
        })));
        Files.delete(file);
        SafetensorsWriter.write(file, out, DType.FLOAT32, ProgressCounter.none());
    }

    static float[] transposed(Weight w) {
        int rows = (int) w.shape()[0];
        int cols = (int) w.shape()[1];
        float[] t = new float[w.values().length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w.values()[r * cols + c];
            }
        }
        return t;
    }

    static void editConfig(Path folder, Consumer<ObjectNode> edit) throws Exception {
        Path config = folder.resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(config.toFile());
        edit.accept(root);
        Files.writeString(config, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
