package io.electraconvert.hf.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.HfFormatException;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
            root = JSON.readTree(text);
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
     * so the data buffer starts 8-byte aligned, as the reference writer does.
     */
    public ByteBuffer encode() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        for (SafetensorsEntry e : entries) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(e.begin()).add(e.end());
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.flip();
    }
}
