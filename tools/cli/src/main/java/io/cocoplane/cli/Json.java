package io.cocoplane.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jackson 3 access for everything the CLI reads from a server or a file: nesting at most 64, documents at most
 * 16 MiB. A document that is not JSON becomes a {@link CliException} with the given exit code.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxDocumentLength(16L * 1024 * 1024)
                            .build())
                    .build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(byte[] bytes, String what, int exitCode) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new CliException(exitCode, what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode parseObject(byte[] bytes, String what, int exitCode) {
        JsonNode n = parse(bytes, what, exitCode);
        if (!(n instanceof ObjectNode o)) {
            throw new CliException(exitCode, what + " is not a JSON object");
        }
        return o;
    }

    static String pretty(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static String compact(JsonNode node) {
        return COMPACT.writeValueAsString(node);
    }

    static byte[] bytes(JsonNode node) {
        return COMPACT.writeValueAsBytes(node);
    }

    /** @return the text of a member, or null when absent, null or not a scalar */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        return v.asString();
    }
}
