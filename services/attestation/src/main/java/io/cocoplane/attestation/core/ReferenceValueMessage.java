package io.cocoplane.attestation.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An RVPS registration message ({@code kbs-attestation.md} §5.5):
 * {@code {"version":"0.1.0","type":"sample","payload":"<standard base64 of {name: value, …}>"}}. Only the
 * {@code sample} type is accepted ({@code swid}/{@code corim} carry unverified signatures upstream, hazard §10.9).
 * cocoplane adds an optional member {@code "expiration"} (RFC 3339 instant, in the future); without it a value
 * expires after the configured validity (trustee: 12 months). Values may be any JSON; a value that is not a JSON
 * array is stored as is (policies then compare with {@code ==} rather than {@code in}).
 *
 * <p>Limits: message at most {@value #MAX_MESSAGE_BYTES} bytes; at most {@value #MAX_ENTRIES} entries; names
 * {@code [A-Za-z0-9_.:/-]{1,128}}; nesting depth 16.
 *
 * @param values     name to value (JSON)
 * @param expiration the requested expiration, or {@code null} for the default validity
 */
public record ReferenceValueMessage(Map<String, JsonNode> values, Instant expiration) {

    /** Largest message, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** Most entries in one message. */
    public static final int MAX_ENTRIES = 64;
    /**
     * Reference value name grammar: 1..128 of {@code [A-Za-z0-9_.:/-]}, not starting with {@code .} or {@code /} and
     * without {@code ..} (a name is also a path parameter: never a dot-segment or an absolute path).
     */
    public static final Pattern NAME = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9_:-][A-Za-z0-9_.:/-]{0,127}");

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                            .maxDocumentLength(MAX_MESSAGE_BYTES).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * @param body the message
     * @param now  the current instant (an {@code expiration} must be after it)
     * @return the message
     * @throws BadRequestException when it is not a valid sample RVPS message
     */
    public static ReferenceValueMessage parse(byte[] body, Instant now) {
        if (body == null || body.length == 0 || body.length > MAX_MESSAGE_BYTES) {
            throw new BadRequestException("reference value message must be 1.." + MAX_MESSAGE_BYTES + " bytes");
        }
        JsonNode root = read(body, "reference value message");
        if (!root.isObject()) {
            throw new BadRequestException("reference value message must be a JSON object");
        }
        Set<String> allowed = Set.of("version", "type", "payload", "expiration");
        for (String n : root.propertyNames()) {
            if (!allowed.contains(n)) {
                throw new BadRequestException("reference value message has unknown member \"" + n + "\"");
            }
        }
        if (!"0.1.0".equals(text(root, "version"))) {
            throw new BadRequestException("reference value message \"version\" must be \"0.1.0\"");
        }
        if (!"sample".equals(text(root, "type"))) {
            throw new BadRequestException("reference value message \"type\" must be \"sample\" (swid and corim are "
                    + "not accepted: their signatures would go unverified)");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(text(root, "payload"));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("reference value message \"payload\" is not standard base64");
        }
        JsonNode map = read(payload, "reference value payload");
        if (!map.isObject() || map.isEmpty() || map.size() > MAX_ENTRIES) {
            throw new BadRequestException("reference value payload must be a JSON object of 1.." + MAX_ENTRIES
                    + " entries");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new BadRequestException("reference value name must match " + NAME);
            }
            if (e.getValue().isNull()) {
                throw new BadRequestException("reference value \"" + e.getKey() + "\" must not be null");
            }
            values.put(e.getKey(), e.getValue());
        }
        Instant expiration = null;
        JsonNode exp = root.get("expiration");
        if (exp != null && !exp.isNull()) {
            try {
                expiration = Instant.parse(text(root, "expiration"));
            } catch (DateTimeParseException e) {
                throw new BadRequestException("reference value message \"expiration\" is not an RFC 3339 instant");
            }
            if (!expiration.isAfter(now)) {
                throw new BadRequestException("reference value message \"expiration\" is not in the future");
            }
        }
        return new ReferenceValueMessage(Map.copyOf(values), expiration);
    }

    private static JsonNode read(byte[] bytes, String what) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new BadRequestException(what + " is empty");
            }
            return n;
        } catch (JacksonException e) {
            throw new BadRequestException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode obj, String member) {
        JsonNode n = obj.get(member);
        if (n == null || !n.isString()) {
            throw new BadRequestException("reference value message \"" + member + "\" must be a string");
        }
        return n.asString();
    }
}
