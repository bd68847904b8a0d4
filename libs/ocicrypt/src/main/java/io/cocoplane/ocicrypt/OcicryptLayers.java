package io.cocoplane.ocicrypt;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer-level glue between the cipher and the key wrappers, as ocicrypt's {@code encryption.go} does it (registry note
 * §3.2, §3.5): which annotations an encrypted layer carries, how the private options are recovered from them, and
 * what the decrypted descriptor keeps.
 *
 * <p>Annotations written, in this order:
 * <ul>
 * <li>{@value JweKeyWrapper#ANNOTATION}: when there are JWE recipients ({@link JweKeyWrapper});</li>
 * <li>{@value KeyProviderPacket#ANNOTATION}: when there is a CoCo recipient ({@link KeyProviderPacket}); several CoCo
 * recipients are not supported, because the annotation holds one packet;</li>
 * <li>{@value #PUBOPTS}: always ({@link PublicOptions}).</li>
 * </ul>
 */
public final class OcicryptLayers {

    /** Prefix of every ocicrypt annotation. */
    public static final String ENC_PREFIX = "org.opencontainers.image.enc.";
    /** Public options annotation. */
    public static final String PUBOPTS = "org.opencontainers.image.enc.pubopts";
    /** Key-wrap scheme annotation prefix ({@code ...enc.keys.<scheme>}). */
    public static final String KEYS_PREFIX = "org.opencontainers.image.enc.keys.";

    /** Most annotations accepted on one layer. */
    public static final int MAX_ANNOTATIONS = 256;

    private OcicryptLayers() {
    }

    /**
     * Builds the ocicrypt annotations of an encrypted layer.
     *
     * @param result         the finished encryption ({@link EncryptingLayerStream#result()})
     * @param jweRecipients  JWE recipients (may be empty)
     * @param cocoRecipient  CoCo key-provider recipient, or null
     * @return an insertion-ordered map of annotation name to value
     * @throws MalformedAnnotationException when there is no recipient at all
     * @throws OcicryptException            when a key wrapper fails (see {@link JweKeyWrapper#wrap})
     */
    public static Map<String, String> annotations(LayerEncryptionResult result, List<JweRecipient> jweRecipients,
            CocoRecipient cocoRecipient) throws OcicryptException {
        if (result == null) {
            throw new MalformedAnnotationException("encryption result is required");
        }
        Map<String, String> out = new LinkedHashMap<>();
        wrapInto(out, result.privateOptions(), jweRecipients, cocoRecipient);
        out.put(PUBOPTS, result.publicOptions().toAnnotationValue());
        return out;
    }

    /**
     * Re-wraps an encrypted layer for new recipients without touching the blob, as ocicrypt does when recipients are
     * added (registry note §3.2): the private options are unwrapped with {@code keys} and wrapped again; the public
     * options and every non-{@code org.opencontainers.image.enc.} annotation are kept verbatim, all previous
     * {@code enc.keys.*} wrappings are dropped. This turns, for example, a skopeo JWE image into a CoCo image whose
     * key is released by the KBS (the fixture's {@code coco-kbs} tag shares its blob with {@code encrypted}).
     *
     * @param annotations   the current layer annotations (must hold {@value #PUBOPTS})
     * @param keys          keys able to open one current wrapping
     * @param jweRecipients new JWE recipients (may be empty)
     * @param cocoRecipient new CoCo recipient, or null
     * @return the new insertion-ordered annotation map
     * @throws MalformedAnnotationException when the public options are missing or malformed, a tried annotation is
     *                                      malformed, or there is no new recipient
     * @throws KeyUnwrapException           when {@code keys} open no current wrapping
     * @throws OcicryptException            when a new wrapping fails (see {@link JweKeyWrapper#wrap})
     */
    public static Map<String, String> rewrap(Map<String, String> annotations, DecryptionKeys keys,
            List<JweRecipient> jweRecipients, CocoRecipient cocoRecipient) throws OcicryptException {
        checkAnnotations(annotations);
        String pub = annotations.get(PUBOPTS);
        if (pub == null) {
            throw new MalformedAnnotationException("layer has no " + PUBOPTS + " annotation");
        }
        PublicOptions.parseAnnotation(pub);
        PrivateOptions privateOptions = unwrapPrivateOptions(annotations, keys);
        Map<String, String> out = decryptedAnnotations(annotations);
        wrapInto(out, privateOptions, jweRecipients, cocoRecipient);
        out.put(PUBOPTS, pub);
        return out;
    }

    private static void wrapInto(Map<String, String> out, PrivateOptions privateOptions,
            List<JweRecipient> jweRecipients, CocoRecipient cocoRecipient) throws OcicryptException {
        boolean hasJwe = jweRecipients != null && !jweRecipients.isEmpty();
        if (!hasJwe && cocoRecipient == null) {
            throw new MalformedAnnotationException("at least one recipient (JWE or CoCo) is required");
        }
        byte[] json = privateOptions.toJson();
        if (hasJwe) {
            out.put(JweKeyWrapper.ANNOTATION, JweKeyWrapper.wrap(json, jweRecipients));
        }
        if (cocoRecipient != null) {
            out.put(KeyProviderPacket.ANNOTATION, CocoKeyWrapper.wrap(json, cocoRecipient.kid(),
                    cocoRecipient.kek()).toAnnotationValue());
        }
    }

    /**
     * Recovers the private options: first the JWE annotation with {@code keys.privateKeys()}, then every
     * {@code ...enc.keys.provider.<name>} annotation (any name, as ocicrypt-rs routes them all to its provider) with
     * {@code keys.keyResolver()}. PKCS#7, PGP and PKCS#11 wrappings are not supported and are skipped.
     *
     * @param annotations the layer descriptor annotations
     * @param keys        the consumer's keys
     * @return the private options
     * @throws MalformedAnnotationException when the JWE or {@value KeyProviderPacket#ANNOTATION} annotation is
     *                                      tried and malformed, or there are more than {@link #MAX_ANNOTATIONS}
     *                                      annotations (other providers' annotations that are not CoCo packets are
     *                                      skipped)
     * @throws KeyUnwrapException           when no wrapping could be opened with the keys given
     */
    public static PrivateOptions unwrapPrivateOptions(Map<String, String> annotations, DecryptionKeys keys)
            throws MalformedAnnotationException, KeyUnwrapException {
        checkAnnotations(annotations);
        if (keys == null) {
            throw new KeyUnwrapException("no decryption keys given");
        }
        List<Exception> failures = new ArrayList<>();
        String jwe = annotations.get(JweKeyWrapper.ANNOTATION);
        if (jwe != null && !keys.privateKeys().isEmpty()) {
            try {
                return PrivateOptions.parse(JweKeyWrapper.unwrap(jwe, keys.privateKeys()));
            } catch (KeyUnwrapException e) {
                failures.add(e);
            }
        }
        if (keys.keyResolver() != null) {
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                if (e.getKey().startsWith(KeyProviderPacket.PROVIDER_ANNOTATION_PREFIX)) {
                    KeyProviderPacket packet;
                    try {
                        packet = KeyProviderPacket.parseAnnotation(e.getValue());
                    } catch (MalformedAnnotationException ex) {
                        if (e.getKey().equals(KeyProviderPacket.ANNOTATION)) {
                            throw ex;
                        }
                        failures.add(ex); // another provider's opaque annotation, not a CoCo packet
                        continue;
                    }
                    try {
                        return PrivateOptions.parse(CocoKeyWrapper.unwrap(packet, keys.keyResolver()));
                    } catch (KeyUnwrapException ex) {
                        failures.add(ex);
                    }
                }
            }
        }
        KeyUnwrapException ex = new KeyUnwrapException("no suitable key unwrapper found or none of the private keys "
                + "could be used for decryption");
        failures.forEach(ex::addSuppressed);
        throw ex;
    }

    /**
     * Unwraps the private options and returns the decrypting plaintext stream (see {@link LayerCipher#decrypt}).
     *
     * @param ciphertext   the encrypted layer blob
     * @param annotations  the layer descriptor annotations (must hold {@value #PUBOPTS})
     * @param expectedSize the descriptor {@code size}, or -1 when unknown
     * @param keys         the consumer's keys
     * @return the plaintext stream, whose {@code read} throws {@link LayerIntegrityException} /
     *         {@link LayerTruncatedException}
     * @throws MalformedAnnotationException when the public options are missing or malformed, or any annotation tried
     *                                      is malformed
     * @throws KeyUnwrapException           when the keys open no wrapping
     */
    public static InputStream decrypt(InputStream ciphertext, Map<String, String> annotations, long expectedSize,
            DecryptionKeys keys) throws MalformedAnnotationException, KeyUnwrapException {
        checkAnnotations(annotations);
        String pub = annotations.get(PUBOPTS);
        if (pub == null) {
            throw new MalformedAnnotationException("layer has no " + PUBOPTS + " annotation");
        }
        PublicOptions publicOptions = PublicOptions.parseAnnotation(pub);
        PrivateOptions privateOptions = unwrapPrivateOptions(annotations, keys);
        return LayerCipher.decrypt(ciphertext, privateOptions, publicOptions, expectedSize);
    }

    /**
     * @param annotations encrypted layer annotations
     * @return a copy without any {@code org.opencontainers.image.enc.*} entry, as ocicrypt leaves a decrypted
     *         descriptor
     */
    public static Map<String, String> decryptedAnnotations(Map<String, String> annotations) {
        Map<String, String> out = new LinkedHashMap<>();
        if (annotations != null) {
            annotations.forEach((k, v) -> {
                if (!k.startsWith(ENC_PREFIX)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static void checkAnnotations(Map<String, String> annotations) throws MalformedAnnotationException {
        if (annotations == null) {
            throw new MalformedAnnotationException("layer annotations are required");
        }
        if (annotations.size() > MAX_ANNOTATIONS) {
            throw new MalformedAnnotationException("more than " + MAX_ANNOTATIONS + " layer annotations");
        }
    }
}
