package dev.cdc.offsets.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;

/** The {@code --json} output: pretty-printed, fields in a fixed order, absent values as {@code null}, times ISO-8601 UTC. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static void put(ObjectNode node, String field, Instant time) {
        node.put(field, Text.time(time));
    }

    static void putNumber(ObjectNode node, String field, Object value) {
        if (value == null) {
            node.putNull(field);
        } else if (value instanceof Number n) {
            node.put(field, n.longValue());
        } else {
            try {
                node.put(field, Long.parseLong(value.toString()));
            } catch (NumberFormatException e) {
                node.put(field, value.toString());
            }
        }
    }

    static JsonNode tree(Map<String, ?> map) {
        return map == null ? MAPPER.nullNode() : MAPPER.valueToTree(map);
    }

    static JsonNode parse(String json) {
        try {
            return json == null ? MAPPER.nullNode() : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    static String compact(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static void print(PrintWriter out, JsonNode node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
