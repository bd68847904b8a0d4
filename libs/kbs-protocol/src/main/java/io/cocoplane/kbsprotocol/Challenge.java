package io.cocoplane.kbsprotocol;

import java.security.SecureRandom;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The RCAR {@code Challenge}, body of the {@code /auth} response (note §2.2):
 * {@code {"nonce":"<44 chars>","extra-params":""}}. For every TEE but IBM SE the nonce is 32 OS-random bytes as
 * standard padded base64 and {@code extra-params} is the JSON string {@code ""}; for SE the nonce is SE-specific and
 * {@code extra-params} may carry {@code {"selected-hash-algorithm":"sha512"}}.
 *
 * @param nonce       the nonce string, copied verbatim into {@code runtime-data.nonce}; non-empty, at most
 *                    {@value #MAX_NONCE_CHARS} characters
 * @param extraParams any JSON value (never Java null); defensively copied
 */
public record Challenge(String nonce, JsonNode extraParams) {

    /** Number of random bytes in a KBS nonce (note §2.2). */
    public static final int NONCE_BYTES = 32;
    /** Maximum nonce length in characters (an SE nonce is larger than the usual 44). */
    public static final int MAX_NONCE_CHARS = 4096;

    private static final String WHAT = "Challenge";

    /**
     * @throws InvalidMessageException when the nonce is null, empty or longer than {@value #MAX_NONCE_CHARS}
     */
    public Challenge {
        if (nonce == null || nonce.isEmpty() || nonce.length() > MAX_NONCE_CHARS) {
            throw new InvalidMessageException(WHAT + ": nonce must be 1.." + MAX_NONCE_CHARS + " characters");
        }
        extraParams = extraParams == null ? StringNode.valueOf("") : extraParams.deepCopy();
    }

    /**
     * What a KBS sends for a non-SE TEE: 32 fresh random bytes, standard padded base64, {@code extra-params = ""}.
     *
     * @param random the randomness source (a {@link SecureRandom})
     * @return a fresh challenge
     */
    public static Challenge generate(SecureRandom random) {
        byte[] n = new byte[NONCE_BYTES];
        random.nextBytes(n);
        return new Challenge(RcarJson.encodeStandardPadded(n), StringNode.valueOf(""));
    }

    /**
     * @return a copy of {@code extra-params}
     */
    @Override
    public JsonNode extraParams() {
        return extraParams.deepCopy();
    }

    /**
     * Decodes a non-SE nonce.
     *
     * @return the nonce bytes (32 for a trustee KBS)
     * @throws InvalidMessageException when the nonce is not canonical standard padded base64
     */
    public byte[] nonceBytes() {
        return RcarJson.decodeStandardPadded(nonce, WHAT + ".nonce");
    }

    /**
     * The runtime-data hash the client must use, read like the Rust client does: {@code
     * extra-params."selected-hash-algorithm"} (case-insensitive) when {@code extra-params} is an object holding that
     * string, else {@link HashAlgorithm#SHA384}.
     *
     * @return the selected algorithm
     * @throws InvalidMessageException when the member is present but names no known algorithm
     */
    public HashAlgorithm selectedHashAlgorithm() {
        if (extraParams.isObject()) {
            JsonNode sel = extraParams.get("selected-hash-algorithm");
            if (sel != null && sel.isString()) {
                return HashAlgorithm.fromWireName(sel.asString());
            }
        }
        return HashAlgorithm.SHA384;
    }

    /**
     * Parses a Challenge body.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_MESSAGE_BYTES}
     * @return the challenge
     * @throws InvalidMessageException on bad JSON, a missing {@code nonce} or {@code extra-params}, a non-string nonce
     *                                 or a limit
     */
    public static Challenge parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_MESSAGE_BYTES, WHAT);
        String nonce = RcarJson.requireString(o, "nonce", WHAT, MAX_NONCE_CHARS);
        return new Challenge(nonce, RcarJson.requireMember(o, "extra-params", WHAT));
    }

    /**
     * @return {@code {"nonce","extra-params"}} in this order
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("nonce", nonce);
        o.set("extra-params", extraParams.deepCopy());
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
