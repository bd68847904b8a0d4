package io.cocoplane.ocicrypt;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ocicrypt <em>private options</em> of one layer ({@code PrivateLayerBlockCipherOptions}, registry note §3.3): the
 * plaintext that every key wrapper (JWE, PKCS#7, key provider...) encrypts.
 *
 * <p>JSON, field order as Go's encoding/json writes the struct, byte fields standard base64 padded:
 * <pre>{"symkey":"&lt;b64 32 bytes&gt;","digest":"sha256:&lt;64 hex&gt;","cipheroptions":{"nonce":"&lt;b64 16 bytes&gt;"}}</pre>
 * {@code symkey} is the AES-256 key, also used as the HMAC-SHA256 key; {@code nonce} is the full initial 128-bit CTR
 * counter block; {@code digest} is the digest of the plaintext (compressed) layer blob, or empty.
 */
public final class PrivateOptions {

    /** Length of {@code symkey} in bytes (AES-256). */
    public static final int SYMKEY_BYTES = 32;
    /** Length of {@code cipheroptions.nonce} in bytes (one AES block). */
    public static final int NONCE_BYTES = 16;
    /** Largest private options JSON accepted by {@link #parse(byte[])}. */
    public static final int MAX_JSON_BYTES = 16 * 1024;

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    private static final String WHAT = "private options";

    private final byte[] symmetricKey;
    private final String digest;
    private final byte[] nonce;

    /**
     * @param symmetricKey 32-byte AES-256 / HMAC key (copied)
     * @param digest       {@code sha256:<hex>} or {@code sha512:<hex>} of the plaintext layer blob, or "" when unknown
     * @param nonce        16-byte initial counter block (copied)
     * @throws MalformedAnnotationException when a length or the digest format is wrong, or an argument is null
     */
    public PrivateOptions(byte[] symmetricKey, String digest, byte[] nonce) throws MalformedAnnotationException {
        if (symmetricKey == null || symmetricKey.length != SYMKEY_BYTES) {
            throw new MalformedAnnotationException(WHAT + ": symkey must be " + SYMKEY_BYTES + " bytes");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new MalformedAnnotationException(WHAT + ": cipheroptions.nonce must be " + NONCE_BYTES + " bytes");
        }
        if (digest == null || !(digest.isEmpty() || DIGEST.matcher(digest).matches())) {
            throw new MalformedAnnotationException(WHAT + ": digest must be empty or sha256:/sha512:<lowercase hex>");
        }
        this.symmetricKey = symmetricKey.clone();
        this.digest = digest;
        this.nonce = nonce.clone();
    }

    /**
     * @return a copy of the 32-byte symmetric key
     */
    public byte[] symmetricKey() {
        return symmetricKey.clone();
    }

    /**
     * @return the plaintext layer digest ({@code algorithm:hex}) or "" when the producer left it empty
     */
    public String digest() {
        return digest;
    }

    /**
     * @return a copy of the 16-byte initial CTR counter block
     */
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * Serialises to the compact JSON shown in the class comment (the bytes that key wrappers encrypt).
     *
     * @return UTF-8 JSON bytes
     */
    public byte[] toJson() {
        ObjectNode o = Json.object();
        o.put("symkey", Base64.getEncoder().encodeToString(symmetricKey));
        o.put("digest", digest);
        o.putObject("cipheroptions").put("nonce", Base64.getEncoder().encodeToString(nonce));
        return Json.bytes(o);
    }

    /**
     * Parses private options JSON as produced by ocicrypt (unknown members are ignored, as Go does).
     *
     * @param json UTF-8 JSON, at most {@link #MAX_JSON_BYTES}
     * @return the options
     * @throws MalformedAnnotationException on bad JSON, missing fields, bad base64, wrong lengths or size above the limit
     */
    public static PrivateOptions parse(byte[] json) throws MalformedAnnotationException {
        if (json == null || json.length > MAX_JSON_BYTES) {
            throw new MalformedAnnotationException(WHAT + " missing or larger than " + MAX_JSON_BYTES + " bytes");
        }
        ObjectNode o = Json.parseObject(json, WHAT);
        byte[] key = Json.b64(Json.text(o, "symkey", WHAT), WHAT + " symkey");
        String digest = Json.optText(o, "digest", WHAT);
        JsonNode co = o.get("cipheroptions");
        if (!(co instanceof ObjectNode cipherOptions)) {
            throw new MalformedAnnotationException(WHAT + ": cipheroptions is missing or not an object");
        }
        byte[] nonce = Json.b64(Json.text(cipherOptions, "nonce", WHAT + " cipheroptions"), WHAT + " nonce");
        return new PrivateOptions(key, digest == null ? "" : digest, nonce);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrivateOptions p && MessageDigest.isEqual(symmetricKey, p.symmetricKey)
                && digest.equals(p.digest) && MessageDigest.isEqual(nonce, p.nonce);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    /** @return a description that never contains the key */
    @Override
    public String toString() {
        return "PrivateOptions[digest=" + digest + ", symkey=<redacted>]";
    }
}
