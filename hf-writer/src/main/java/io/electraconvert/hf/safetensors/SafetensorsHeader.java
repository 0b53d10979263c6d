package io.electraconvert.hf.safetensors;

import io.electraconvert.hf.JsonMappers;
import io.electraconvert.hf.JsonStreaming;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.hf.HfFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file ({@code u64 N}, then N bytes of JSON). Parsing applies the reference
 * reader's rules ({@code tensor.rs} {@code Metadata::validate}): sorted by offset, tensors must tile the buffer
 * exactly, sizes must match dtype and shape, and the buffer must end where the file ends.
 */
public record SafetensorsHeader(Map<String, String> metadata, List<SafetensorsEntry> entries) {
    /** {@code MAX_HEADER_SIZE} in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Where the data buffer starts in files this writes: a multiple of a page. */
    public static final int DATA_ALIGNMENT = 4096;

    /** Size of the data buffer the entries describe. */
    public long dataSize() {
        return entries.stream().mapToLong(SafetensorsEntry::end).max().orElse(0);
    }

    /**
     * Parses and validates the header of a file of {@code fileSize} bytes.
     *
     * @param headerJson the N header bytes (after the 8-byte length)
     */
    public static SafetensorsHeader parse(Path file, ByteBuffer headerJson, long fileSize) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(headerJson.duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw new HfFormatException(file, "safetensors header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw new HfFormatException(file, "safetensors header does not start with '{'");
        }
        JsonNode root;
        try {
            root = JsonMappers.PLAIN.readTree(text);
        } catch (JsonProcessingException e) {
            throw new HfFormatException(file, "safetensors header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new HfFormatException(file, "safetensors header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(readEntry(file, field.getKey(), field.getValue()));
            }
        }
        validateLayout(file, entries, 8 + (long) headerJson.remaining(), fileSize);
        return new SafetensorsHeader(metadata, List.copyOf(entries));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new HfFormatException(file, "safetensors __metadata__ is not an object");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new HfFormatException(file, "safetensors __metadata__ value '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        });
    }

    private static SafetensorsEntry readEntry(Path file, String name, JsonNode node) {
        String where = "safetensors tensor '" + name + "'";
        if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw new HfFormatException(file, where + " needs dtype, shape and two data_offsets");
        }
        SafetensorsDType dtype = SafetensorsDType.of(node.get("dtype").asText())
                .orElseThrow(() -> new HfFormatException(file, where + " has unknown dtype " + node.get("dtype").asText()));
        long[] shape = new long[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(file, node.get("shape").get(i), where + " shape");
        }
        long begin = nonNegativeLong(file, node.get("data_offsets").get(0), where + " data_offsets");
        long end = nonNegativeLong(file, node.get("data_offsets").get(1), where + " data_offsets");
        if (end < begin) {
            throw new HfFormatException(file, where + " ends (" + end + ") before it begins (" + begin + ")");
        }
        long expected;
        try {
            expected = dtype.size();
            for (long d : shape) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw new HfFormatException(file, where + " has a shape whose size overflows");
        }
        if (end - begin != expected) {
            throw new HfFormatException(file, where + " spans " + (end - begin) + " bytes but " + dtype + " "
                    + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(Path file, JsonNode node, String what) {
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new HfFormatException(file, what + " must be non-negative integers");
        }
        return node.asLong();
    }

    private static void validateLayout(Path file, List<SafetensorsEntry> entries, long dataStart, long fileSize) {
        List<SafetensorsEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long expectedBegin = 0;
        for (SafetensorsEntry e : byOffset) {
            if (e.begin() != expectedBegin) {
                throw new HfFormatException(file, "safetensors offsets do not tile the data buffer: tensor '" + e.name()
                        + "' begins at " + e.begin() + ", expected " + expectedBegin);
            }
            expectedBegin = e.end();
        }
        // compared as data sizes: dataStart + a huge end offset would overflow and print a negative size
        long dataSize = fileSize - dataStart;
        if (expectedBegin != dataSize) {
            String described = expectedBegin > Long.MAX_VALUE - dataStart ? "more than " + Long.MAX_VALUE
                    : Long.toString(dataStart + expectedBegin);
            throw new HfFormatException(file, "safetensors file is " + fileSize + " bytes but its header describes "
                    + described + (dataSize < expectedBegin ? " (truncated)" : " (trailing bytes)"));
        }
    }

    /**
     * The file prefix for this header: {@code u64 N} and the JSON, {@code __metadata__} first, padded with spaces
     * (the format allows trailing whitespace) so the data buffer starts at a multiple of
     * {@value #DATA_ALIGNMENT} bytes. The reference writer only aligns to 8; a page boundary also gives loaders
     * that map the file page-aligned tensors, and lets the converter write tensors to the disk straight from its
     * buffers with direct I/O. N stays a multiple of 8.
     */
    public ByteBuffer encode() {
        // jackson-core's streaming generator: the same compact JSON as a databind tree, without databind's start-up
        // (~0.1 s), which would otherwise hold back the first byte of every conversion
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (JsonGenerator json = JsonStreaming.FACTORY.createGenerator(text)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    json.writeStringField(m.getKey(), m.getValue());
                }
                json.writeEndObject();
            }
            for (SafetensorsEntry e : entries) {
                json.writeObjectFieldStart(e.name());
                json.writeStringField("dtype", e.dtype().name());
                json.writeArrayFieldStart("shape");
                for (long d : e.shape()) {
                    json.writeNumber(d);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("data_offsets");
                json.writeNumber(e.begin());
                json.writeNumber(e.end());
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        byte[] bytes = text.toByteArray();
        int prefix = (8 + bytes.length + DATA_ALIGNMENT - 1) / DATA_ALIGNMENT * DATA_ALIGNMENT;
        ByteBuffer out = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(prefix - 8).put(bytes);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.flip();
    }
}
