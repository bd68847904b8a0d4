package io.cocoplane.kbsprotocol;

import java.util.Base64;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON layer shared by all RCAR messages (note §2): one strict Jackson 3 mapper, the size limits, and the
 * base64 flavour checks of note §11 (nonce = standard <em>padded</em>; JWK/JWE = url-safe <em>unpadded</em>).
 *
 * <p>Limits applied to every parse: the whole document at most {@link #MAX_MESSAGE_BYTES} bytes (the KBS default
 * request-body limit, note §1) — resource {@link Response}s at most {@link #MAX_RESPONSE_BYTES}; nesting depth at most
 * {@link #MAX_NESTING_DEPTH}; duplicate member names are refused (a JSON text with two {@code nonce} members is
 * ambiguous). Unknown members are ignored, as serde does for the kbs-types structs. Every failure is an
 * {@link InvalidMessageException} naming the message and member.
 */
public final class RcarJson {

    /** Maximum size in bytes of an RCAR handshake message ({@link Request}, {@link Challenge}, {@link Attestation}, {@link AttestResponse}, {@link ErrorInformation}): 2 MiB. */
    public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    /** Maximum size in bytes of a resource {@link Response} JWE document: 16 MiB. */
    public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    /** Maximum JSON nesting depth of any message: 64. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final Pattern STD_B64_PADDED = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern URL_B64_NOPAD = Pattern.compile("[A-Za-z0-9_-]*");

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxDocumentLength(MAX_RESPONSE_BYTES)
                            .maxStringLength(MAX_RESPONSE_BYTES)
                            .maxNumberLength(1000)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RcarJson() {
    }

    static ObjectNode newObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses a JSON object under the limits of the RCAR messages, for the other JSON bodies of the KBS API (the admin
     * endpoints, note §1.1): nesting depth at most {@link #MAX_NESTING_DEPTH}, duplicate member names and unpaired
     * UTF-16 surrogates refused.
     *
     * @param json     the document, UTF-8
     * @param maxBytes largest accepted document in bytes
     * @param what     what the document is, named in the error message
     * @return the root object
     * @throws InvalidMessageException on null/oversized input, bad JSON, too deep nesting, trailing content or a
     *                                 non-object root
     */
    public static ObjectNode parseObject(byte[] json, int maxBytes, String what) {
        return readObject(json, maxBytes, what);
    }

    /**
     * Parses a JSON document that must be an object.
     *
     * @throws InvalidMessageException on null/oversized input, bad JSON, trailing content or a non-object root
     */
    static ObjectNode readObject(byte[] json, int maxBytes, String what) {
        if (json == null) {
            throw new InvalidMessageException(what + ": no body");
        }
        if (json.length > maxBytes) {
            throw new InvalidMessageException(what + ": " + json.length + " bytes exceeds the limit of " + maxBytes);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidMessageException(what + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidMessageException(what + ": empty document");
        }
        requireWellFormedText(root, what);
        return requireObject(root, what);
    }

    /**
     * Refuses strings and member names holding an unpaired UTF-16 surrogate (a JSON <code>"&#92;ud800"</code> escape): such
     * text has no UTF-8 form, serde_json refuses it, and it could not be re-serialized or hashed.
     */
    private static void requireWellFormedText(JsonNode node, String what) {
        if (node.isString()) {
            requireWellFormed(node.asString(), what);
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                requireWellFormedText(child, what);
            }
        } else if (node.isObject()) {
            for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
                requireWellFormed(e.getKey(), what);
                requireWellFormedText(e.getValue(), what);
            }
        }
    }

    private static void requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidMessageException(what + ": string holds an unpaired UTF-16 surrogate");
            }
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new InvalidMessageException("cannot serialize JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String writeString(JsonNode node) {
        requireWellFormedText(node, "JSON value");
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new InvalidMessageException("cannot serialize JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException(what + ": expected a JSON object, got " + typeName(node));
        }
        return (ObjectNode) node;
    }

    static JsonNode requireMember(ObjectNode obj, String member, String what) {
        JsonNode n = obj.get(member);
        if (n == null) {
            throw new InvalidMessageException(what + ": missing member \"" + member + "\"");
        }
        return n;
    }

    static String requireString(ObjectNode obj, String member, String what, int maxChars) {
        JsonNode n = requireMember(obj, member, what);
        if (!n.isString()) {
            throw new InvalidMessageException(what + ": member \"" + member + "\" must be a string, got " + typeName(n));
        }
        String s = n.asString();
        if (s.length() > maxChars) {
            throw new InvalidMessageException(what + ": member \"" + member + "\" has " + s.length()
                    + " characters, limit " + maxChars);
        }
        return s;
    }

    static String typeName(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Decodes standard base64 <em>with</em> padding (RFC 4648 §4), refusing url-safe characters, missing padding and
     * non-canonical trailing bits.
     *
     * @throws InvalidMessageException when {@code s} is not canonical padded standard base64
     */
    static byte[] decodeStandardPadded(String s, String what) {
        if (s == null || !STD_B64_PADDED.matcher(s).matches()) {
            throw new InvalidMessageException(what + ": not standard padded base64");
        }
        byte[] out = Base64.getDecoder().decode(s);
        if (!Base64.getEncoder().encodeToString(out).equals(s)) {
            throw new InvalidMessageException(what + ": non-canonical base64 (trailing bits set)");
        }
        return out;
    }

    /**
     * Decodes url-safe base64 <em>without</em> padding (RFC 4648 §5, RFC 7515 §2), refusing {@code =}, {@code +},
     * {@code /}, impossible lengths and non-canonical trailing bits.
     *
     * @throws InvalidMessageException when {@code s} is not canonical unpadded base64url
     */
    static byte[] decodeUrlUnpadded(String s, String what) {
        if (s == null || !URL_B64_NOPAD.matcher(s).matches() || s.length() % 4 == 1) {
            throw new InvalidMessageException(what + ": not unpadded base64url");
        }
        byte[] out = Base64.getUrlDecoder().decode(s);
        if (!encodeUrlUnpadded(out).equals(s)) {
            throw new InvalidMessageException(what + ": non-canonical base64url (trailing bits set)");
        }
        return out;
    }

    static String encodeUrlUnpadded(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String encodeStandardPadded(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Quotes a caller-supplied value for an exception message, truncated to 64 characters. */
    static String quoteForMessage(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + t.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
