package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header cases of {@code safetensors/reference-verdicts.json}: each one's {@code reference_accepts} is what
 * safetensors 0.8 says of it (the interop suite's {@code test_safetensors_verdicts.py} checks that against the real
 * library), and our reader must agree, with the exact one-line message of {@code problem} when it refuses. A case
 * with {@code deviation} is one where we refuse what the reference takes, for the reason given.
 */
class SafetensorsReferenceVerdictTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in = SafetensorsReferenceVerdictTest.class.getResourceAsStream("/safetensors/reference-verdicts.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        root.get("cases").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithSafetensors08(String name, JsonNode c) throws Exception {
        byte[] header = c.get("header").asText().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + c.get("data").asInt()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header);
        Path file = tmp.resolve("case.safetensors");
        Files.write(file, bytes.array());

        boolean weAccept = !c.hasNonNull("problem");
        if (c.has("deviation")) {
            assertNotEquals(c.get("reference_accepts").asBoolean(), weAccept, "a deviation must be one");
        } else {
            assertEquals(c.get("reference_accepts").asBoolean(), weAccept, "verdict of safetensors 0.8");
        }
        if (!weAccept) {
            BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(file).close());
            assertEquals(file + ": " + c.get("problem").asText(), e.getMessage());
            return;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            List<String> expectedNames = new ArrayList<>();
            c.get("tensors").forEach(n -> expectedNames.add(n.asText()));
            assertEquals(new TreeSet<>(expectedNames), new TreeSet<>(f.tensors().keySet()));
            Map<String, String> expectedMetadata = new TreeMap<>();
            c.path("metadata").fields().forEachRemaining(m -> expectedMetadata.put(m.getKey(), m.getValue().asText()));
            assertEquals(expectedMetadata, new TreeMap<>(f.metadata()));
        }
    }
}
