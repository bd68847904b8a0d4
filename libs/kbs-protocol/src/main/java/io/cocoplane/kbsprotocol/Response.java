package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RCAR resource {@code Response} (note §2.4): a JWE in flattened JSON serialization (RFC 7516 §7.2.2) with the
 * members {@code protected}, {@code encrypted_key}, {@code iv}, {@code ciphertext}, {@code tag} — all unpadded
 * base64url — and an optional {@code aad} that the KBS never emits. Values are kept as the exact strings received so
 * the protected header can be inspected byte for byte; {@link JweCodec} builds and opens them.
 *
 * <p>Lengths checked here: {@code iv} 12 bytes, {@code tag} 16 bytes (A256GCM), {@code encrypted_key} at most
 * 1024 bytes (an 8192-bit RSA block), {@code protected} at most {@value #MAX_PROTECTED_CHARS} characters.
 *
 * @param protectedHeader unpadded base64url of the UTF-8 protected header JSON (member {@code protected})
 * @param encryptedKey    unpadded base64url of the wrapped/encrypted CEK (member {@code encrypted_key})
 * @param iv              unpadded base64url of the 12-byte GCM IV
 * @param ciphertext      unpadded base64url of the ciphertext (same length as the plaintext)
 * @param tag             unpadded base64url of the 16-byte GCM tag
 * @param aad             unpadded base64url of additional AAD, or {@code null} when absent
 */
public record Response(String protectedHeader, String encryptedKey, String iv, String ciphertext, String tag,
                       String aad) {

    /** Maximum length of the {@code protected} member in characters. */
    public static final int MAX_PROTECTED_CHARS = 8192;

    private static final String WHAT = "Response";

    /**
     * @throws InvalidMessageException when a required member is null, not canonical unpadded base64url, or has the
     *                                 wrong decoded length
     */
    public Response {
        RcarJson.decodeUrlUnpadded(protectedHeader, WHAT + ".protected");
        if (protectedHeader.isEmpty() || protectedHeader.length() > MAX_PROTECTED_CHARS) {
            throw new InvalidMessageException(WHAT + ": protected must be 1.." + MAX_PROTECTED_CHARS + " characters");
        }
        int ekLen = RcarJson.decodeUrlUnpadded(encryptedKey, WHAT + ".encrypted_key").length;
        if (ekLen == 0 || ekLen > 1024) {
            throw new InvalidMessageException(WHAT + ": encrypted_key must be 1..1024 bytes, got " + ekLen);
        }
        if (RcarJson.decodeUrlUnpadded(iv, WHAT + ".iv").length != 12) {
            throw new InvalidMessageException(WHAT + ": iv must be 12 bytes");
        }
        RcarJson.decodeUrlUnpadded(ciphertext, WHAT + ".ciphertext");
        if (RcarJson.decodeUrlUnpadded(tag, WHAT + ".tag").length != 16) {
            throw new InvalidMessageException(WHAT + ": tag must be 16 bytes");
        }
        if (aad != null) {
            RcarJson.decodeUrlUnpadded(aad, WHAT + ".aad");
        }
    }

    /**
     * @return the decoded protected header JSON bytes
     */
    public byte[] protectedHeaderBytes() {
        return RcarJson.decodeUrlUnpadded(protectedHeader, WHAT + ".protected");
    }

    /**
     * Parses a resource response body.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_RESPONSE_BYTES}
     * @return the response
     * @throws InvalidMessageException on bad JSON, a missing member, a non-string member, or a check of the canonical
     *                                 constructor
     */
    public static Response parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_RESPONSE_BYTES, WHAT);
        int max = RcarJson.MAX_RESPONSE_BYTES;
        JsonNode aad = o.get("aad");
        String aadValue = null;
        if (aad != null && !aad.isNull()) {
            aadValue = RcarJson.requireString(o, "aad", WHAT, max);
        }
        return new Response(RcarJson.requireString(o, "protected", WHAT, MAX_PROTECTED_CHARS),
                RcarJson.requireString(o, "encrypted_key", WHAT, 2048),
                RcarJson.requireString(o, "iv", WHAT, 64),
                RcarJson.requireString(o, "ciphertext", WHAT, max),
                RcarJson.requireString(o, "tag", WHAT, 64),
                aadValue);
    }

    /**
     * @return {@code {"protected","encrypted_key","iv","ciphertext","tag"}} (plus {@code "aad"} when set), the member
     *         order of trustee's {@code kbs/src/jwe/mod.rs}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("protected", protectedHeader);
        o.put("encrypted_key", encryptedKey);
        if (aad != null) {
            o.put("aad", aad);
        }
        o.put("iv", iv);
        o.put("ciphertext", ciphertext);
        o.put("tag", tag);
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
