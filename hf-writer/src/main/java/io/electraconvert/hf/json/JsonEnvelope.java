package io.electraconvert.hf.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The fields every JSON document electra-convert writes for programs begins with, so a reader can tell what it
 * holds before reading it: {@code kind} (what the document is, e.g. {@code conversion}), {@code schema_version} (the
 * version of that kind's schema; it grows only when a field changes meaning or goes away), {@code tool}
 * ({@code electra-convert}) and {@code tool_version}. {@code docs/json.md} describes the convention and
 * {@code docs/schemas/} holds each kind's JSON Schema.
 */
public final class JsonEnvelope {
    public static final String TOOL = "electra-convert";

    private JsonEnvelope() {}

    /** A new document of {@code kind}: the envelope's fields, to which the caller adds the rest. */
    public static ObjectNode create(String kind, int schemaVersion) {
        ObjectNode root = JsonMappers.PRETTY.createObjectNode();
        root.put("kind", kind).put("schema_version", schemaVersion).put("tool", TOOL).put("tool_version", toolVersion());
        return root;
    }

    /** The envelope's fields, for a document streamed through {@code json} (inside its root object). */
    public static void write(JsonGenerator json, String kind, int schemaVersion) throws IOException {
        json.writeStringField("kind", kind);
        json.writeNumberField("schema_version", schemaVersion);
        json.writeStringField("tool", TOOL);
        json.writeStringField("tool_version", toolVersion());
    }

    /** The version of electra-convert this code belongs to, as the build recorded it (e.g. {@code 0.1.0}). */
    public static String toolVersion() {
        return Version.VALUE;
    }

    /** Read once, when first asked for. */
    private static final class Version {
        static final String VALUE = read();

        private static String read() {
            Properties p = new Properties();
            try (InputStream in = JsonEnvelope.class.getResourceAsStream("tool-version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("tool-version.properties is missing from the build");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version");
        }
    }
}
