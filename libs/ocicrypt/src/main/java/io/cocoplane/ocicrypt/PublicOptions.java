package io.cocoplane.ocicrypt;

import java.util.Arrays;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ocicrypt <em>public options</em> of one layer ({@code PublicLayerBlockCipherOptions}, registry note §3.3),
 * stored in clear in the annotation {@code org.opencontainers.image.enc.pubopts} as standard base64 of:
 * <pre>{"cipher":"AES_256_CTR_HMAC_SHA256","hmac":"&lt;b64 32 bytes&gt;","cipheroptions":{}}</pre>
 * {@code hmac} is HMAC-SHA256 over the whole ciphertext, keyed with the private options' {@code symkey}.
 */
public final class PublicOptions {

    /** The only layer cipher ocicrypt defines. */
    public static final String AES_256_CTR_HMAC_SHA256 = "AES_256_CTR_HMAC_SHA256";
    /** Length of {@code hmac} in bytes. */
    public static final int HMAC_BYTES = 32;
    /** Largest public options JSON accepted by {@link #parse(byte[])}. */
    public static final int MAX_JSON_BYTES = 16 * 1024;

    private static final String WHAT = "public options";

    private final String cipher;
    private final byte[] hmac;

    /**
     * @param cipher must be {@link #AES_256_CTR_HMAC_SHA256}
     * @param hmac   32-byte HMAC-SHA256 of the ciphertext (copied)
     * @throws MalformedAnnotationException when the cipher is unsupported or the HMAC length is wrong
     */
    public PublicOptions(String cipher, byte[] hmac) throws MalformedAnnotationException {
        if (!AES_256_CTR_HMAC_SHA256.equals(cipher)) {
            throw new MalformedAnnotationException(WHAT + ": unsupported cipher " + cipher);
        }
        if (hmac == null || hmac.length != HMAC_BYTES) {
            throw new MalformedAnnotationException(WHAT + ": hmac must be " + HMAC_BYTES + " bytes");
        }
        this.cipher = cipher;
        this.hmac = hmac.clone();
    }

    /**
     * @return the cipher name, always {@link #AES_256_CTR_HMAC_SHA256}
     */
    public String cipher() {
        return cipher;
    }

    /**
     * @return a copy of the 32-byte HMAC
     */
    public byte[] hmac() {
        return hmac.clone();
    }

    /**
     * @return compact UTF-8 JSON as in the class comment
     */
    public byte[] toJson() {
        ObjectNode o = Json.object();
        o.put("cipher", cipher);
        o.put("hmac", Base64.getEncoder().encodeToString(hmac));
        o.putObject("cipheroptions");
        return Json.bytes(o);
    }

    /**
     * @return the annotation value: standard base64 (padded) of {@link #toJson()}
     */
    public String toAnnotationValue() {
        return Base64.getEncoder().encodeToString(toJson());
    }

    /**
     * Parses public options JSON.
     *
     * @param json UTF-8 JSON, at most {@link #MAX_JSON_BYTES}
     * @return the options
     * @throws MalformedAnnotationException on bad JSON, unknown cipher, bad base64, wrong HMAC length or oversize input
     */
    public static PublicOptions parse(byte[] json) throws MalformedAnnotationException {
        if (json == null || json.length > MAX_JSON_BYTES) {
            throw new MalformedAnnotationException(WHAT + " missing or larger than " + MAX_JSON_BYTES + " bytes");
        }
        ObjectNode o = Json.parseObject(json, WHAT);
        String cipher = Json.text(o, "cipher", WHAT);
        byte[] hmac = Json.b64(Json.text(o, "hmac", WHAT), WHAT + " hmac");
        JsonNode co = o.get("cipheroptions");
        if (co != null && !co.isNull() && !co.isObject()) {
            throw new MalformedAnnotationException(WHAT + ": cipheroptions is not an object");
        }
        return new PublicOptions(cipher, hmac);
    }

    /**
     * Parses the value of the {@code org.opencontainers.image.enc.pubopts} annotation.
     *
     * @param annotationValue standard base64 of the JSON
     * @return the options
     * @throws MalformedAnnotationException on bad base64 or any {@link #parse(byte[])} failure
     */
    public static PublicOptions parseAnnotation(String annotationValue) throws MalformedAnnotationException {
        if (annotationValue == null || annotationValue.length() > MAX_JSON_BYTES * 4 / 3 + 4) {
            throw new MalformedAnnotationException(WHAT + " annotation missing or too long");
        }
        return parse(Json.b64(annotationValue, WHAT + " annotation"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicOptions p && cipher.equals(p.cipher) && Arrays.equals(hmac, p.hmac);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
        return "PublicOptions[cipher=" + cipher + "]";
    }
}
