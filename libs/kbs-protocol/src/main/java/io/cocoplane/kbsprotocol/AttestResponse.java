package io.cocoplane.kbsprotocol;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a successful {@code /attest} response (note §2.4): {@code {"token":"<compact JWS EAR token>"}}.
 * This type checks only the compact-JWS shape; the token's signature is the KBS's business (the guest cannot verify
 * it). {@link #expiresAt()} reads the unverified {@code exp} claim so the client knows when to re-attest.
 *
 * @param token the compact JWS: three unpadded base64url segments separated by {@code .}, at most
 *              {@value #MAX_TOKEN_CHARS} characters
 */
public record AttestResponse(String token) {

    /** Maximum token length: 1 MiB (an EAR with an {@code x5c} chain is a few KiB). */
    public static final int MAX_TOKEN_CHARS = 1024 * 1024;

    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final String WHAT = "AttestResponse";

    /**
     * @throws InvalidMessageException when the token is null, too long or not three base64url segments
     */
    public AttestResponse {
        if (token == null || token.length() > MAX_TOKEN_CHARS || !COMPACT_JWS.matcher(token).matches()) {
            throw new InvalidMessageException(WHAT + ": token is not a compact JWS");
        }
    }

    /**
     * Reads the token's {@code exp} claim without verifying the signature (RFC 7519 §4.1.4, NumericDate seconds).
     *
     * @return the expiry (whole seconds, clamped to the range of {@link Instant}), or empty when the payload has no
     *         integer {@code exp} within the 64-bit range
     * @throws InvalidMessageException when the payload is not base64url JSON object
     */
    public Optional<Instant> expiresAt() {
        String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
        byte[] bytes = RcarJson.decodeUrlUnpadded(payload, WHAT + ".token payload");
        ObjectNode claims = RcarJson.readObject(bytes, MAX_TOKEN_CHARS, WHAT + ".token payload");
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isIntegralNumber() || !exp.canConvertToLong()) {
            return Optional.empty();
        }
        long seconds = Math.max(Instant.MIN.getEpochSecond(), Math.min(Instant.MAX.getEpochSecond(), exp.asLong()));
        return Optional.of(Instant.ofEpochSecond(seconds));
    }

    /**
     * Parses an {@code /attest} response body.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_MESSAGE_BYTES}
     * @return the response
     * @throws InvalidMessageException on bad JSON, a missing or malformed {@code token}
     */
    public static AttestResponse parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_MESSAGE_BYTES, WHAT);
        return new AttestResponse(RcarJson.requireString(o, "token", WHAT, MAX_TOKEN_CHARS));
    }

    /**
     * @return {@code {"token":"…"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("token", token);
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
