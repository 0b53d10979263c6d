package io.electraconvert.hf.json;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * jackson-core's streaming factory, for the JSON a conversion writes (safetensors header, config.json). Unlike a
 * databind {@link com.fasterxml.jackson.databind.ObjectMapper} (~0.1 s of start-up, and more under load) it costs
 * next to nothing to create, so a conversion's first and last bytes do not wait for databind.
 */
public final class JsonStreaming {
    public static final JsonFactory FACTORY = new JsonFactory();

    private JsonStreaming() {}
}
