package io.cocoplane.ocicrypt;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps and unwraps a layer's private options under a key-encryption key (KEK) the way CoCo's
 * {@code coco_keyprovider} and the confidential-data-hub do (registry note §4.1, guest-components
 * {@code coco_keyprovider/src/enc_mods/crypto.rs}): AES-256-GCM, random 12-byte IV, no AAD, 128-bit tag appended to
 * the ciphertext, result carried in a {@link KeyProviderPacket}.
 */
public final class CocoKeyWrapper {

    /** Required KEK length in bytes. */
    public static final int KEK_BYTES = 32;
    /** A256GCM IV length in bytes. */
    public static final int IV_BYTES = 12;
    /** A256GCM tag length in bits. */
    public static final int TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private CocoKeyWrapper() {
    }

    /**
     * Wraps the private options JSON under {@code kek} into a v1 packet.
     *
     * @param privateOptionsJson the payload ({@link PrivateOptions#toJson()}), at most
     *                           {@link PrivateOptions#MAX_JSON_BYTES}
     * @param kid                key id, normally {@code kbs:///<repository>/<type>/<tag>}
     * @param kek                the 32-byte KEK
     * @return the packet ({@code wrap_type} A256GCM)
     * @throws MalformedAnnotationException when the KEK is not 32 bytes, the kid is invalid or the payload is empty or
     *                                      too large
     */
    public static KeyProviderPacket wrap(byte[] privateOptionsJson, String kid, byte[] kek)
            throws MalformedAnnotationException {
        requireKek(kek);
        if (privateOptionsJson == null || privateOptionsJson.length == 0
                || privateOptionsJson.length > PrivateOptions.MAX_JSON_BYTES) {
            throw new MalformedAnnotationException("payload missing or larger than " + PrivateOptions.MAX_JSON_BYTES);
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            return new KeyProviderPacket(kid, c.doFinal(privateOptionsJson), iv, KeyProviderPacket.A256GCM, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks AES/GCM/NoPadding", e);
        }
    }

    /**
     * Unwraps a packet with a KEK supplied by {@code resolver}.
     *
     * @param packet   a parsed packet with provider {@code kbs} and wrap type {@code A256GCM}
     * @param resolver maps {@code packet.kid()} to the KEK
     * @return the private options JSON bytes
     * @throws MalformedAnnotationException when the provider or wrap type is not supported here, or the resolved KEK is
     *                                      not 32 bytes
     * @throws KeyUnwrapException           when the resolver has no KEK for the kid, or GCM authentication fails
     *                                      (wrong KEK or tampered packet)
     */
    public static byte[] unwrap(KeyProviderPacket packet, KeyResolver resolver)
            throws MalformedAnnotationException, KeyUnwrapException {
        if (packet == null || resolver == null) {
            throw new MalformedAnnotationException("packet and key resolver are required");
        }
        if (!KeyProviderPacket.PROVIDER_KBS.equals(packet.provider())) {
            throw new KeyUnwrapException("key-provider packet names provider '" + packet.provider()
                    + "', only 'kbs' packets can be unwrapped here");
        }
        if (!KeyProviderPacket.A256GCM.equals(packet.wrapType())) {
            throw new MalformedAnnotationException("unsupported wrap_type " + packet.wrapType() + " (A256GCM only)");
        }
        Optional<byte[]> kek = resolver.resolveKek(packet.kid());
        if (kek == null || kek.isEmpty()) {
            throw new KeyUnwrapException("no KEK known for kid " + packet.kid());
        }
        byte[] key = kek.get().clone();
        requireKek(key);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, packet.iv()));
            return c.doFinal(packet.wrappedData());
        } catch (AEADBadTagException e) {
            throw new KeyUnwrapException("A256GCM unwrap failed for kid " + packet.kid()
                    + ": wrong KEK or tampered wrapped_data", e);
        } catch (GeneralSecurityException e) {
            throw new KeyUnwrapException("A256GCM unwrap failed for kid " + packet.kid(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static void requireKek(byte[] kek) throws MalformedAnnotationException {
        if (kek == null || kek.length != KEK_BYTES) {
            throw new MalformedAnnotationException("KEK must be " + KEK_BYTES + " bytes");
        }
    }
}
