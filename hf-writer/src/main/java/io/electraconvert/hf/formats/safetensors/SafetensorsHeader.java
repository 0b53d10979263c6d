package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import com.fasterxml.jackson.core.JsonGenerator;
import io.electraconvert.hf.json.JsonStreaming;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file ({@code u64 N}, then N bytes of JSON). Parsing accepts exactly the headers
 * safetensors 0.8 accepts ({@code tensor.rs}: {@code read_metadata}, serde's derived {@code HashMetadata} and
 * {@code TensorInfo}, {@code Metadata::validate}); the one exception is a shape dimension above 2^63-1, which the
 * reference takes when another dimension is 0 but no framework can make a tensor of. So: serde_json's grammar (see
 * {@link SerdeJsonCursor}); {@code __metadata__} at most once, null or an object of strings; every other key a tensor
 * whose dtype, shape and data_offsets appear once each (unknown fields are ignored, and serde also takes the three
 * as an array in that order), of two tensors with one name the later kept; offsets and dimensions JSON integers;
 * sorted by offset, tensors must tile the buffer exactly, sizes must match dtype and shape, and the buffer must end
 * where the file ends.
 */
public record SafetensorsHeader(Map<String, String> metadata, List<SafetensorsEntry> entries) {
    /** {@code MAX_HEADER_SIZE} in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Where the data buffer starts in files this writes: a multiple of a page. */
    public static final int DATA_ALIGNMENT = 4096;
    private static final String METADATA_KEY = "__metadata__";

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
            throw new BadInputException(file, "safetensors header is not valid UTF-8");
        }
        SerdeJsonCursor json = new SerdeJsonCursor(file, text);
        if (json.peek() < 0) {
            throw new BadInputException(file, "safetensors header is empty");
        }
        if (json.peek() != '{') {
            throw new BadInputException(file, "safetensors header is " + json.kindOfNext() + ", not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        boolean[] metadataSeen = {false};
        // serde collects the tensors in a map, so of two with one name the later stays
        Map<String, SafetensorsEntry> tensors = new LinkedHashMap<>();
        json.object(1, key -> {
            if (key.equals(METADATA_KEY)) {
                if (metadataSeen[0]) {
                    throw new BadInputException(file, "safetensors header has two __metadata__ entries");
                }
                metadataSeen[0] = true;
                readMetadata(file, json, metadata);
            } else {
                tensors.put(key, new EntryReader(file, json, key).read());
            }
        });
        json.end();
        List<SafetensorsEntry> entries = List.copyOf(tensors.values());
        validateLayout(file, entries, 8 + (long) headerJson.remaining(), fileSize);
        return new SafetensorsHeader(metadata, entries);
    }

    private static void readMetadata(Path file, SerdeJsonCursor json, Map<String, String> metadata) {
        if (json.peek() == 'n') {
            json.literal("null"); // an Option in the reference: null is no metadata
            return;
        }
        if (json.peek() != '{') {
            throw new BadInputException(file, "safetensors __metadata__ is " + json.kindOfNext() + ", not an object");
        }
        json.object(2, key -> {
            if (json.peek() != '"') {
                throw new BadInputException(file, "safetensors __metadata__ value '" + key + "' is " + json.kindOfNext()
                        + ", not a string");
            }
            metadata.put(key, json.string());
        });
    }

    /** One tensor's {@code TensorInfo}: an object of its fields, or an array of them in declaration order. */
    private static final class EntryReader {
        private static final List<String> FIELDS = List.of("dtype", "shape", "data_offsets");
        private final Path file;
        private final SerdeJsonCursor json;
        private final String name;
        private final String where;
        private DType dtype;
        private long[] shape;
        private long[] offsets;

        EntryReader(Path file, SerdeJsonCursor json, String name) {
            this.file = file;
            this.json = json;
            this.name = name;
            this.where = "safetensors tensor '" + name + "'";
        }

        SafetensorsEntry read() {
            switch (json.peek()) {
                case '{' -> json.object(2, this::field);
                case '[' -> json.array(2, i -> {
                    if (i >= FIELDS.size()) {
                        throw fail("lists more than dtype, shape and data_offsets");
                    }
                    field(FIELDS.get(i));
                });
                default -> throw fail("is " + json.kindOfNext() + ", not an object");
            }
            if (dtype == null || shape == null || offsets == null) {
                throw fail("needs dtype, shape and two data_offsets");
            }
            return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        }

        private void field(String key) {
            switch (key) {
                case "dtype" -> {
                    once(dtype, key);
                    dtype = dtype();
                }
                case "shape" -> {
                    once(shape, key);
                    shape = integers("shape", Integer.MAX_VALUE);
                }
                case "data_offsets" -> {
                    once(offsets, key);
                    offsets = integers("data_offsets", 2);
                    if (offsets.length != 2) {
                        throw fail("needs dtype, shape and two data_offsets");
                    }
                }
                default -> json.skipValue(3); // serde ignores a field it does not know
            }
        }

        private void once(Object previous, String key) {
            if (previous != null) {
                throw fail("has two " + key + " fields");
            }
        }

        /** A dtype name, or serde's other spelling of a unit enum variant: {@code {"F32": null}}. */
        private DType dtype() {
            String[] tag = {null};
            if (json.peek() == '"') {
                tag[0] = json.string();
            } else if (json.peek() == '{') {
                json.object(3, key -> {
                    if (tag[0] != null) {
                        throw fail("dtype is an object of more than one key");
                    }
                    tag[0] = key;
                    if (json.peek() != 'n') {
                        throw fail("dtype {\"" + key + "\": ...} holds " + json.kindOfNext() + ", not null");
                    }
                    json.literal("null");
                });
                if (tag[0] == null) {
                    throw fail("dtype is an empty object");
                }
            } else {
                throw fail("dtype is " + json.kindOfNext() + ", not a string");
            }
            return DType.ofSafetensorsName(tag[0]).orElseThrow(() -> fail("has unknown dtype " + tag[0]));
        }

        /** An array of at most {@code max} JSON integers from 0 to 2^63-1 (more are refused as soon as read). */
        private long[] integers(String what, int max) {
            if (json.peek() != '[') {
                throw fail(what + " is " + json.kindOfNext() + ", not an array");
            }
            List<Long> values = new ArrayList<>();
            json.array(3, i -> {
                if (i >= max) {
                    throw fail("needs dtype, shape and two data_offsets");
                }
                int c = json.peek();
                if (c != '-' && (c < '0' || c > '9')) {
                    throw fail(what + " must be integers, not " + json.kindOfNext());
                }
                SerdeJsonCursor.Number n = json.number();
                if (!n.unsigned() || n.unsignedValue() < 0) {
                    String text = n.text().length() > 40 ? n.text().substring(0, 40) + "..." : n.text();
                    throw fail(what + " must be integers from 0 to " + Long.MAX_VALUE + ", not " + text);
                }
                values.add(n.unsignedValue());
            });
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private BadInputException fail(String problem) {
            return new BadInputException(file, where + " " + problem);
        }
    }

    private static void validateLayout(Path file, List<SafetensorsEntry> entries, long dataStart, long fileSize) {
        List<SafetensorsEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long expectedBegin = 0;
        for (SafetensorsEntry e : byOffset) {
            if (e.begin() != expectedBegin) {
                throw new BadInputException(file, "safetensors offsets do not tile the data buffer: tensor '" + e.name()
                        + "' begins at " + e.begin() + ", expected " + expectedBegin);
            }
            if (e.end() < e.begin()) {
                throw new BadInputException(file, "safetensors tensor '" + e.name() + "' ends (" + e.end()
                        + ") before it begins (" + e.begin() + ")");
            }
            expectedBegin = e.end();
            checkSize(file, e);
        }
        // compared as data sizes: dataStart + a huge end offset would overflow and print a negative size
        long dataSize = fileSize - dataStart;
        if (expectedBegin != dataSize) {
            String described = expectedBegin > Long.MAX_VALUE - dataStart ? "more than " + Long.MAX_VALUE
                    : Long.toString(dataStart + expectedBegin);
            throw new BadInputException(file, "safetensors file is " + fileSize + " bytes but its header describes "
                    + described + (dataSize < expectedBegin ? " (truncated)" : " (trailing bytes)"));
        }
    }

    /**
     * {@code Metadata::validate}'s size rule: the shape folded left with checked unsigned 64-bit multiplication, then
     * times the dtype's bits, must be whole bytes and equal the span. The fold's order is kept: [0, 2^40, 2^40] has
     * no elements, while [2^40, 2^40, 0] overflows before reaching the 0 and is refused, as by the reference.
     */
    private static void checkSize(Path file, SafetensorsEntry e) {
        String where = "safetensors tensor '" + e.name() + "'";
        long elements = 1;
        for (long d : e.shape()) {
            if (unsignedOverflow(elements, d)) {
                throw new BadInputException(file, where + " has a shape whose size overflows");
            }
            elements *= d;
        }
        if (unsignedOverflow(elements, e.dtype().bits())) {
            throw new BadInputException(file, where + " has a shape whose size overflows");
        }
        long bits = elements * e.dtype().bits();
        if (bits % 8 != 0) {
            throw new BadInputException(file, where + " has " + Long.toUnsignedString(elements) + " elements of "
                    + e.dtype().bits() + " bits, which do not end on a byte boundary");
        }
        long bytes = bits >>> 3;
        if (e.byteSize() != bytes) {
            throw new BadInputException(file, where + " spans " + e.byteSize() + " bytes but " + e.dtype().safetensorsName() + " "
                    + Arrays.toString(e.shape()) + " needs " + bytes);
        }
    }

    /** Whether {@code a * b} exceeds 2^64-1, both taken as unsigned (Rust's {@code usize::checked_mul}). */
    private static boolean unsignedOverflow(long a, long b) {
        return a != 0 && Long.compareUnsigned(b, Long.divideUnsigned(-1L, a)) > 0;
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
                json.writeStringField("dtype", e.dtype().safetensorsName());
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
