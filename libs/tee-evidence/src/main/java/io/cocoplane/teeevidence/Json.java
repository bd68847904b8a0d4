package io.cocoplane.teeevidence;

import java.math.BigInteger;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounded Jackson parsing of evidence JSON with typed member accessors. Every failure is a
 * {@link Malformed} with offset {@code -1} naming the JSON member.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                    .maxStringLength(EvidenceVerifier.MAX_EVIDENCE_BYTES).maxNumberLength(40).build())
            .build()).build();

    private Json() {
    }

    /**
     * @param bytes UTF-8 JSON, at most {@link EvidenceVerifier#MAX_EVIDENCE_BYTES}
     * @return the root, which must be an object
     * @throws Malformed on oversize input, a syntax error or a non-object root
     */
    public static JsonNode parseObject(byte[] bytes) throws Malformed {
        if (bytes.length > EvidenceVerifier.MAX_EVIDENCE_BYTES) {
            throw new Malformed("evidence larger than " + EvidenceVerifier.MAX_EVIDENCE_BYTES + " bytes", -1);
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new Malformed("evidence is not valid JSON: " + e.getOriginalMessage(), -1, e);
        }
        if (n == null || !n.isObject()) {
            throw new Malformed("evidence JSON must be an object", -1);
        }
        return n;
    }

    /**
     * @return the member, which must be present and not null
     * @throws Malformed when absent or null
     */
    public static JsonNode required(JsonNode obj, String name) throws Malformed {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw new Malformed("missing JSON member \"" + name + "\"", -1);
        }
        return n;
    }

    /**
     * @return the member as a string
     * @throws Malformed when absent or not a string
     */
    public static String string(JsonNode obj, String name) throws Malformed {
        JsonNode n = required(obj, name);
        if (!n.isString()) {
            throw new Malformed("JSON member \"" + name + "\" must be a string", -1);
        }
        return n.stringValue();
    }

    /**
     * @param max the largest allowed value (inclusive), e.g. {@code 0xffffffffL}
     * @return the member as a non-negative integer ≤ {@code max}
     * @throws Malformed when absent, not an integer, negative or too large
     */
    public static long unsigned(JsonNode obj, String name, BigInteger max) throws Malformed {
        JsonNode n = required(obj, name);
        if (!n.isIntegralNumber()) {
            throw new Malformed("JSON member \"" + name + "\" must be an integer", -1);
        }
        BigInteger v = n.bigIntegerValue();
        if (v.signum() < 0 || v.compareTo(max) > 0) {
            throw new Malformed("JSON member \"" + name + "\" out of range: " + v, -1);
        }
        return v.longValue();
    }

    /**
     * @param len the exact array length
     * @return the member, a JSON array of {@code len} numbers 0…255, as bytes
     * @throws Malformed when absent, of the wrong length or holding a non-byte
     */
    public static byte[] byteArray(JsonNode obj, String name, int len) throws Malformed {
        JsonNode n = required(obj, name);
        if (!n.isArray() || n.size() != len) {
            throw new Malformed("JSON member \"" + name + "\" must be an array of " + len + " bytes", -1);
        }
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || e.bigIntegerValue().signum() < 0
                    || e.bigIntegerValue().compareTo(BigInteger.valueOf(255)) > 0) {
                throw new Malformed("JSON member \"" + name + "\"[" + i + "] is not a byte", -1);
            }
            out[i] = (byte) e.intValue();
        }
        return out;
    }
}
