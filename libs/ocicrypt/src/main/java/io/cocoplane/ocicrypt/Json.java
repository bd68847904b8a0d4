package io.cocoplane.ocicrypt;

import java.util.Base64;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Package-private strict Jackson access: duplicate keys rejected, nesting depth 32, strings at most 4 MiB, documents at
 * most 8 MiB, trailing content rejected (callers enforce tighter per-structure limits before parsing). Every failure becomes a
 * {@link MalformedAnnotationException}.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(4 * 1024 * 1024)
                            .maxDocumentLength(8L * 1024 * 1024)
                            .maxNumberLength(32)
                            .maxNameLength(1024)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** Parses a JSON object, naming {@code what} in the error. */
    static ObjectNode parseObject(byte[] json, String what) throws MalformedAnnotationException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedAnnotationException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode o)) {
            throw new MalformedAnnotationException(what + " is not a JSON object");
        }
        return o;
    }

    /** Returns a required string member. */
    static String text(ObjectNode o, String field, String what) throws MalformedAnnotationException {
        JsonNode n = o.get(field);
        if (n == null || !n.isString()) {
            throw new MalformedAnnotationException(what + ": field '" + field + "' is missing or not a string");
        }
        return n.stringValue();
    }

    /** Returns an optional string member, or null when absent or JSON null. */
    static String optText(ObjectNode o, String field, String what) throws MalformedAnnotationException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw new MalformedAnnotationException(what + ": field '" + field + "' is not a string");
        }
        return n.stringValue();
    }

    /** Decodes standard (RFC 4648 §4) base64, padded, as Go's encoding/json writes []byte. */
    static byte[] b64(String value, String what) throws MalformedAnnotationException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedAnnotationException(what + " is not valid base64", e);
        }
    }

    /**
     * Decodes a Go/Rust byte field: a standard-base64 string (Go {@code []byte}) or a JSON array of integers 0..255
     * (Rust serde {@code Vec<u8>}, registry note §3.6 interop trap).
     */
    static byte[] goOrRustBytes(JsonNode n, String what, int maxBytes) throws MalformedAnnotationException {
        if (n == null || n.isNull()) {
            throw new MalformedAnnotationException(what + " is missing");
        }
        byte[] out;
        if (n.isString()) {
            String s = n.stringValue();
            if (s.length() > (maxBytes / 3 + 1) * 4) {
                throw new MalformedAnnotationException(what + " exceeds " + maxBytes + " bytes");
            }
            out = b64(s, what);
        } else if (n.isArray()) {
            if (n.size() > maxBytes) {
                throw new MalformedAnnotationException(what + " exceeds " + maxBytes + " bytes");
            }
            out = new byte[n.size()];
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0 || e.intValue() > 255) {
                    throw new MalformedAnnotationException(what + "[" + i + "] is not a byte (0..255)");
                }
                out[i] = (byte) e.intValue();
            }
        } else {
            throw new MalformedAnnotationException(what + " is neither a base64 string nor a byte array");
        }
        if (out.length > maxBytes) {
            throw new MalformedAnnotationException(what + " exceeds " + maxBytes + " bytes");
        }
        return out;
    }
}
