package io.electraconvert.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.json.JsonEnvelope;
import io.electraconvert.verify.parity.ParityReportJson;
import java.io.IOException;
import java.util.Locale;

/**
 * The kinds of JSON document the commands print, each with the version of its schema
 * ({@code docs/schemas/<kind>.schema.json}, described in {@code docs/json.md}).
 */
enum JsonKind {
    /** {@code inspect CKPT --json}. */
    CHECKPOINT_INSPECTION(1),
    /** {@code inspect DIR --json}. */
    FOLDER_INSPECTION(1),
    /** {@code convert --json}. */
    CONVERSION(1),
    /** {@code predict --json}. */
    PREDICTION(1),
    /** {@code forward}. */
    FORWARD_OUTPUTS(1),
    /** {@code verify --report}: written by model-verify's {@code ParityReportJson}, which owns its version. */
    VERIFY_REPORT(ParityReportJson.SCHEMA_VERSION);

    final int schemaVersion;

    JsonKind(int schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    /** e.g. {@code checkpoint_inspection}. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A new document of this kind: the envelope, to which the command adds its fields. */
    ObjectNode start() {
        return JsonEnvelope.create(id(), schemaVersion);
    }

    /** The envelope's fields, for a document streamed through {@code json}. */
    void start(JsonGenerator json) throws IOException {
        JsonEnvelope.write(json, id(), schemaVersion);
    }
}
