package io.electraconvert.cli;

import io.electraconvert.tensor.DType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.formats.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertDtypeTest {
    @TempDir
    Path tmp;

    @Test
    void float16EverywhereWithConfigDtypeAndPerTensorRoundingErrors() throws Exception {
        Path out = tmp.resolve("half");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "--model", "generator", "--out", out.toString(),
                "--dtype", "float16", "--verbose", "--hparams", CliRun.fixture("small").resolve("hparams.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertTrue(f.tensors().values().stream().allMatch(e -> e.dtype() == DType.FLOAT16), "LayerNorm included");
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("float16", config.get("dtype").asText());
        assertEquals("float16", config.get("torch_dtype").asText());
        List<String> lines = run.err().lines().filter(l -> l.startsWith("  electra.") || l.startsWith("  generator_")).toList();
        assertEquals(44, lines.size(), run.err());
        for (String line : lines) {
            double error = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            // |x| < 4 in this fixture, so half precision's spacing bounds the error by 2^-9
            assertTrue(error > 0 && error <= 0x1p-9, line);
        }
    }
}
