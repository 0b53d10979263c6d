package io.electraconvert.hf.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * jackson-core's streaming factory, for the JSON a conversion writes (safetensors header, config.json) and the small
 * files every command reads (config.json, hparams.json). Unlike a databind
 * {@link com.fasterxml.jackson.databind.ObjectMapper} (~0.1 s of start-up, and more under load; still ~30-60 ms with
 * the launcher's class-data archive, mostly static initialisation) it costs next to nothing to create, so a
 * conversion's first and last bytes and a {@code predict}'s config do not wait for databind.
 */
public final class JsonStreaming {
    public static final JsonFactory FACTORY = new JsonFactory();

    private JsonStreaming() {}

    /**
     * The same tree {@code new ObjectMapper().readTree(text)} gives, built from the streaming parser: ints as
     * {@code IntNode}, {@code LongNode} or {@code BigIntegerNode} by size, other numbers as {@code DoubleNode}, a
     * repeated key's last value, {@link MissingNode} for empty input, anything after the first value ignored; the
     * parser's own exceptions (and limits) for malformed input.
     */
    public static JsonNode readTree(String text) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return MissingNode.getInstance();
            }
            Deque<ContainerNode<?>> open = new ArrayDeque<>();
            Deque<String> keys = new ArrayDeque<>(); // the key each open object is filling
            JsonNode root = null;
            for (; t != null; t = p.nextToken()) {
                JsonNode value = switch (t) {
                    case FIELD_NAME -> {
                        keys.push(p.currentName());
                        yield null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        open.pop();
                        yield null;
                    }
                    case START_OBJECT -> nodes.objectNode();
                    case START_ARRAY -> nodes.arrayNode();
                    case VALUE_STRING -> nodes.textNode(p.getText());
                    case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                        case INT -> nodes.numberNode(p.getIntValue());
                        case LONG -> nodes.numberNode(p.getLongValue());
                        default -> nodes.numberNode(p.getBigIntegerValue());
                    };
                    case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
                    case VALUE_TRUE -> nodes.booleanNode(true);
                    case VALUE_FALSE -> nodes.booleanNode(false);
                    case VALUE_NULL -> nodes.nullNode();
                    default -> throw new IOException("unexpected JSON token " + t);
                };
                if (value != null) {
                    if (root == null) {
                        root = value;
                    } else if (open.peek() instanceof ObjectNode object) {
                        object.set(keys.pop(), value);
                    } else {
                        ((ArrayNode) open.peek()).add(value);
                    }
                    if (value instanceof ContainerNode<?> container) {
                        open.push(container);
                    }
                }
                if (open.isEmpty()) {
                    return root; // the first value is complete; ObjectMapper ignores what follows too
                }
            }
            throw new IOException("Unexpected end-of-input: the JSON document is incomplete"); // the parser throws first
        }
    }
}
