package io.cocoplane.ocicrypt;

import java.util.Arrays;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CoCo key-provider annotation packet (registry note §4.1; guest-components {@code coco_keyprovider} and
 * {@code confidential-data-hub/hub/src/image/annotation_packet}), stored in the layer annotation {@link #ANNOTATION}
 * as standard base64 (padded) of the compact JSON
 * <pre>{"kid":"kbs:///default/image-kek/x","wrapped_data":"&lt;b64&gt;","iv":"&lt;b64 12 bytes&gt;","wrap_type":"A256GCM"}</pre>
 * {@code wrapped_data} is AES-256-GCM(KEK, iv, private options JSON) as ciphertext followed by the 16-byte tag, no
 * AAD. The v2 form adds {@code version} ("0.1.0"), {@code provider} (default {@code kbs}; other values name a KMS
 * plugin that unwraps itself, in which case {@code iv} and {@code wrap_type} may be absent), {@code provider_settings}
 * and {@code annotations} (objects, kept opaque here).
 */
public final class KeyProviderPacket {

    /** Layer annotation carrying the packet for the {@code attestation-agent} key provider. */
    public static final String ANNOTATION = "org.opencontainers.image.enc.keys.provider.attestation-agent";
    /** Prefix of every key-provider annotation ({@code ...provider.<name>}). */
    public static final String PROVIDER_ANNOTATION_PREFIX = "org.opencontainers.image.enc.keys.provider.";
    /** The only wrap type this library wraps and unwraps. */
    public static final String A256GCM = "A256GCM";
    /** Provider name for KBS-resolved KEKs (the v1 packet's implicit provider). */
    public static final String PROVIDER_KBS = "kbs";
    /** Longest annotation value accepted by {@link #parseAnnotation}. */
    public static final int MAX_ANNOTATION_CHARS = 64 * 1024;
    /** Longest {@code kid} accepted. */
    public static final int MAX_KID_CHARS = 1024;
    /** Largest {@code wrapped_data} accepted, in bytes. */
    public static final int MAX_WRAPPED_BYTES = 32 * 1024;

    private static final String WHAT = "key-provider packet";

    private final String kid;
    private final byte[] wrappedData;
    private final byte[] iv;
    private final String wrapType;
    private final String version;
    private final String provider;

    /**
     * @param kid         key id, 1 to {@link #MAX_KID_CHARS} characters without control characters
     * @param wrappedData AES-GCM ciphertext || tag, 1 to {@link #MAX_WRAPPED_BYTES} bytes (copied)
     * @param iv          12-byte GCM IV for A256GCM; may be null only for a non-{@code kbs} provider (copied)
     * @param wrapType    {@code A256GCM} (others are kept but cannot be unwrapped here); may be null only for a
     *                    non-{@code kbs} provider
     * @param version     v2 {@code version} or null for a v1 packet
     * @param provider    v2 {@code provider} or null (meaning {@code kbs})
     * @throws MalformedAnnotationException when a field is missing, oversize or of the wrong length
     */
    public KeyProviderPacket(String kid, byte[] wrappedData, byte[] iv, String wrapType, String version,
            String provider) throws MalformedAnnotationException {
        if (kid == null || kid.isEmpty() || kid.length() > MAX_KID_CHARS || kid.chars().anyMatch(c -> c < 0x20)) {
            throw new MalformedAnnotationException(WHAT + ": kid must be 1 to " + MAX_KID_CHARS
                    + " characters without control characters");
        }
        if (wrappedData == null || wrappedData.length == 0 || wrappedData.length > MAX_WRAPPED_BYTES) {
            throw new MalformedAnnotationException(WHAT + ": wrapped_data must be 1 to " + MAX_WRAPPED_BYTES + " bytes");
        }
        boolean kbs = provider == null || PROVIDER_KBS.equals(provider);
        if (kbs && (iv == null || wrapType == null)) {
            throw new MalformedAnnotationException(WHAT + ": iv and wrap_type are required for provider kbs");
        }
        if (A256GCM.equals(wrapType) && (iv == null || iv.length != 12)) {
            throw new MalformedAnnotationException(WHAT + ": A256GCM needs a 12-byte iv, got "
                    + (iv == null ? "none" : iv.length + " bytes"));
        }
        if (iv != null && (iv.length == 0 || iv.length > 64)) {
            throw new MalformedAnnotationException(WHAT + ": iv must be 1 to 64 bytes");
        }
        if (wrapType != null && (wrapType.isEmpty() || wrapType.length() > 32)) {
            throw new MalformedAnnotationException(WHAT + ": wrap_type must be 1 to 32 characters");
        }
        if (provider != null && (provider.isEmpty() || provider.length() > 128)) {
            throw new MalformedAnnotationException(WHAT + ": provider must be 1 to 128 characters");
        }
        if (version != null && (version.isEmpty() || version.length() > 32)) {
            throw new MalformedAnnotationException(WHAT + ": version must be 1 to 32 characters");
        }
        this.kid = kid;
        this.wrappedData = wrappedData.clone();
        this.iv = iv == null ? null : iv.clone();
        this.wrapType = wrapType;
        this.version = version;
        this.provider = provider;
    }

    /** @return the key id, e.g. {@code kbs:///default/image-kek/coco-fixture} */
    public String kid() {
        return kid;
    }

    /** @return a copy of {@code wrapped_data} (ciphertext || 16-byte tag for A256GCM) */
    public byte[] wrappedData() {
        return wrappedData.clone();
    }

    /** @return a copy of the IV, or null when absent (non-kbs v2 provider) */
    public byte[] iv() {
        return iv == null ? null : iv.clone();
    }

    /** @return {@code wrap_type}, or null when absent (non-kbs v2 provider) */
    public String wrapType() {
        return wrapType;
    }

    /** @return the v2 {@code version}, or null for a v1 packet */
    public String version() {
        return version;
    }

    /** @return the provider, {@code kbs} when the packet does not name one */
    public String provider() {
        return provider == null ? PROVIDER_KBS : provider;
    }

    /**
     * @return the {@code kid} parsed as a KBS resource URI, or null when it is not one
     */
    public KbsResourceUri kbsResourceUri() {
        return KbsResourceUri.parse(kid).orElse(null);
    }

    /**
     * @return compact JSON: {@code kid, wrapped_data, iv, wrap_type} in that order (as the fixture and
     *         coco_keyprovider write them), then {@code version, provider} when set
     */
    public byte[] toJson() {
        ObjectNode o = Json.object();
        if (version != null) {
            o.put("version", version);
        }
        if (provider != null) {
            o.put("provider", provider);
        }
        o.put("kid", kid);
        o.put("wrapped_data", Base64.getEncoder().encodeToString(wrappedData));
        if (iv != null) {
            o.put("iv", Base64.getEncoder().encodeToString(iv));
        }
        if (wrapType != null) {
            o.put("wrap_type", wrapType);
        }
        return Json.bytes(o);
    }

    /**
     * @return the annotation value: standard base64 (padded) of {@link #toJson()}
     */
    public String toAnnotationValue() {
        return Base64.getEncoder().encodeToString(toJson());
    }

    /**
     * Parses the annotation value (base64 of the packet JSON).
     *
     * @param annotationValue the value of a {@code ...enc.keys.provider.<name>} annotation
     * @return the packet
     * @throws MalformedAnnotationException on null/oversize input, bad base64 or JSON, or any field problem listed
     *                                      in the constructor
     */
    public static KeyProviderPacket parseAnnotation(String annotationValue) throws MalformedAnnotationException {
        if (annotationValue == null || annotationValue.isEmpty() || annotationValue.length() > MAX_ANNOTATION_CHARS) {
            throw new MalformedAnnotationException(WHAT + " annotation missing, empty or longer than "
                    + MAX_ANNOTATION_CHARS);
        }
        return parse(Json.b64(annotationValue, WHAT + " annotation"));
    }

    /**
     * Parses the packet JSON. Unknown members are ignored; {@code provider_settings} and {@code annotations} must be
     * objects when present.
     *
     * @param json UTF-8 JSON, at most {@link #MAX_ANNOTATION_CHARS} bytes
     * @return the packet
     * @throws MalformedAnnotationException on bad JSON or any field problem listed in the constructor
     */
    public static KeyProviderPacket parse(byte[] json) throws MalformedAnnotationException {
        if (json == null || json.length > MAX_ANNOTATION_CHARS) {
            throw new MalformedAnnotationException(WHAT + " missing or larger than " + MAX_ANNOTATION_CHARS + " bytes");
        }
        ObjectNode o = Json.parseObject(json, WHAT);
        String kid = Json.text(o, "kid", WHAT);
        String wrapped = Json.text(o, "wrapped_data", WHAT);
        if (wrapped.length() > (MAX_WRAPPED_BYTES / 3 + 1) * 4) {
            throw new MalformedAnnotationException(WHAT + ": wrapped_data exceeds " + MAX_WRAPPED_BYTES + " bytes");
        }
        String iv = Json.optText(o, "iv", WHAT);
        for (String objectField : new String[] {"provider_settings", "annotations"}) {
            JsonNode n = o.get(objectField);
            if (n != null && !n.isNull() && !n.isObject()) {
                throw new MalformedAnnotationException(WHAT + ": " + objectField + " is not an object");
            }
        }
        return new KeyProviderPacket(kid, Json.b64(wrapped, WHAT + " wrapped_data"),
                iv == null ? null : Json.b64(iv, WHAT + " iv"), Json.optText(o, "wrap_type", WHAT),
                Json.optText(o, "version", WHAT), Json.optText(o, "provider", WHAT));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyProviderPacket p && kid.equals(p.kid) && Arrays.equals(wrappedData, p.wrappedData)
                && Arrays.equals(iv, p.iv) && java.util.Objects.equals(wrapType, p.wrapType)
                && java.util.Objects.equals(version, p.version) && java.util.Objects.equals(provider, p.provider);
    }

    @Override
    public int hashCode() {
        return kid.hashCode() * 31 + Arrays.hashCode(wrappedData);
    }

    @Override
    public String toString() {
        return "KeyProviderPacket[kid=" + kid + ", wrap_type=" + wrapType + ", provider=" + provider() + ", "
                + wrappedData.length + " wrapped bytes]";
    }
}
