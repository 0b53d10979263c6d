package io.electraconvert.hf.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's Jackson mappers, created when first used. Creating one costs about 0.1 s of class loading and
 * initialisation at start-up; held in static fields of the classes that use them, that cost fell on every run
 * before any work (picocli instantiates all subcommands, config classes load during planning), whereas here it
 * comes when JSON is first read or written, by then overlapping the checkpoint reads.
 */
public final class JsonMappers {
    public static final ObjectMapper PLAIN = new ObjectMapper();
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** For index files, whose maps transformers writes with sorted keys. */
    public static final ObjectMapper PRETTY_SORTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JsonMappers() {}
}
