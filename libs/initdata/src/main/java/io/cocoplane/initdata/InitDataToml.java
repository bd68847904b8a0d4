package io.cocoplane.initdata;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Canonical writer and strict parser of the init-data TOML document. Parsing (and the round-trip check of
 * every written document) is done by Jackson's TOML parser; the writer lays out the document like Kata's
 * own test vector so values stay readable as multi-line literal strings (TOML 1.0 §String).
 */
final class InitDataToml {

    private static final TomlMapper MAPPER = new TomlMapper();
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("version", "algorithm", "data");

    private InitDataToml() {
    }

    /**
     * Canonical layout (ASCII-safe keys, literal-safe values):
     * <pre>
     * version = "0.1.0"\n
     * algorithm = "&lt;alg&gt;"\n
     * [data]\n
     * "&lt;key&gt;" = '''\n&lt;value&gt;'''\n      (entries sorted by key, separated by one empty line)
     * </pre>
     * An entry whose key is not {@code [A-Za-z0-9._-]+} or whose value cannot be a multi-line literal string
     * (it contains {@code '''}, a control character other than tab/LF, or ends with {@code '}) is written
     * as the single line Jackson's TOML generator produces for a one-entry table (a basic string with escapes).
     */
    static byte[] write(InitData initData) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("version = \"").append(InitData.VERSION).append("\"\n");
        sb.append("algorithm = \"").append(initData.algorithm().tomlName()).append("\"\n");
        sb.append("[data]\n");
        boolean first = true;
        for (Map.Entry<String, String> e : initData.data().entrySet()) {
            if (!first) {
                sb.append('\n');
            }
            first = false;
            String key = e.getKey();
            String value = e.getValue();
            if (isBareSafeKey(key) && isLiteralSafe(value)) {
                sb.append('"').append(key).append("\" = '''\n").append(value).append("'''\n");
            } else {
                String line = MAPPER.writeValueAsString(Collections.singletonMap(key, value));
                sb.append(line);
                if (!line.endsWith("\n")) {
                    sb.append('\n');
                }
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        InitData reparsed = parse(bytes, new DecodeLimits(Integer.MAX_VALUE, Math.max(bytes.length, 1),
                Math.max(initData.data().size(), 1)));
        if (!reparsed.equals(initData)) {
            throw new IllegalStateException("canonical init-data writer produced a document that does not round-trip");
        }
        return bytes;
    }

    private static boolean isBareSafeKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return !key.isEmpty();
    }

    private static boolean isLiteralSafe(String value) {
        if (value.contains("'''") || value.endsWith("'")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses and validates a document.
     *
     * @throws InitDataException DOCUMENT_TOO_LARGE, NOT_UTF8, NOT_TOML, MISSING_FIELD, UNEXPECTED_FIELD,
     *                           WRONG_TYPE, UNSUPPORTED_VERSION, UNSUPPORTED_ALGORITHM, TOO_MANY_ENTRIES,
     *                           INVALID_DATA_KEY, INVALID_DATA_VALUE
     */
    static InitData parse(byte[] bytes, DecodeLimits limits) {
        if (bytes.length > limits.maxDocumentBytes()) {
            throw new InitDataException(InitDataException.Reason.DOCUMENT_TOO_LARGE,
                    "document is " + bytes.length + " bytes, limit " + limits.maxDocumentBytes());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InitDataException(InitDataException.Reason.NOT_UTF8, "document is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InitDataException(InitDataException.Reason.NOT_TOML,
                    "document is not valid TOML: " + firstLine(e.getOriginalMessage()), e);
        } catch (RuntimeException e) {
            // Defensive: a parser bug on hostile input must still surface as a typed error.
            throw new InitDataException(InitDataException.Reason.NOT_TOML,
                    "document is not valid TOML (" + e.getClass().getSimpleName() + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InitDataException(InitDataException.Reason.MISSING_FIELD, "document is empty; 'version' missing");
        }
        if (!root.isObject()) {
            throw new InitDataException(InitDataException.Reason.NOT_TOML, "document root is not a table");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                throw new InitDataException(InitDataException.Reason.UNEXPECTED_FIELD,
                        "unexpected top-level key (only version, algorithm, data are allowed)");
            }
        }
        String version = requireString(root, "version");
        if (!InitData.VERSION.equals(version)) {
            throw new InitDataException(InitDataException.Reason.UNSUPPORTED_VERSION,
                    "version must be \"" + InitData.VERSION + "\"");
        }
        DigestAlgorithm algorithm = DigestAlgorithm.fromTomlName(requireString(root, "algorithm"));
        JsonNode data = root.get("data");
        if (data == null) {
            throw new InitDataException(InitDataException.Reason.MISSING_FIELD, "table [data] is missing");
        }
        if (!data.isObject()) {
            throw new InitDataException(InitDataException.Reason.WRONG_TYPE, "'data' must be a table");
        }
        if (data.size() > limits.maxDataEntries()) {
            throw new InitDataException(InitDataException.Reason.TOO_MANY_ENTRIES,
                    "[data] has " + data.size() + " entries, limit " + limits.maxDataEntries());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (!e.getValue().isString()) {
                throw new InitDataException(InitDataException.Reason.WRONG_TYPE,
                        "every [data] value must be a string");
            }
            entries.put(e.getKey(), e.getValue().stringValue());
        }
        return InitData.of(algorithm, entries);
    }

    private static String requireString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            throw new InitDataException(InitDataException.Reason.MISSING_FIELD, "'" + field + "' is missing");
        }
        if (!node.isString()) {
            throw new InitDataException(InitDataException.Reason.WRONG_TYPE, "'" + field + "' must be a string");
        }
        return node.stringValue();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
