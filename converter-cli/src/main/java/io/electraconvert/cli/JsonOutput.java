package io.electraconvert.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.hf.json.JsonMappers;
import java.io.IOException;
import java.io.PrintWriter;

/** Prints a command's JSON document on stdout, indented, one document per run. */
final class JsonOutput {
    private JsonOutput() {}

    static void print(PrintWriter out, JsonNode document) throws IOException {
        out.println(JsonMappers.PRETTY.writeValueAsString(document));
        out.flush();
    }
}
