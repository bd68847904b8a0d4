package io.cocoplane.ocicrypt;

import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ocicrypt layer block cipher {@code AES_256_CTR_HMAC_SHA256} (containers/ocicrypt
 * {@code blockcipher/blockcipher_aes_ctr.go}, registry note §3.3), streaming in both directions.
 *
 * <ul>
 * <li>AES-256 in CTR mode; the 16-byte nonce is the whole initial counter block, incremented big-endian over all 128
 * bits (JDK {@code AES/CTR/NoPadding}, identical to Go's {@code cipher.NewCTR}).</li>
 * <li>Encrypt-then-MAC: HMAC-SHA256 over the <em>ciphertext</em>, keyed with the same 32-byte symkey.</li>
 * <li>Ciphertext length equals plaintext length.</li>
 * </ul>
 * Neither direction ever holds the layer in memory: encryption buffers one 8 KiB chunk, decryption one chunk plus a
 * {@link #HOLDBACK_BYTES} tail.
 */
public final class LayerCipher {

    /**
     * Number of trailing plaintext bytes a decrypting stream withholds until the HMAC has been checked at end of
     * stream (ocicrypt's delayed reader holds back 10 KiB too).
     */
    public static final int HOLDBACK_BYTES = 10 * 1024;

    static final int CHUNK_BYTES = 8 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private LayerCipher() {
    }

    /**
     * Starts encrypting a plaintext layer blob with a fresh random 32-byte key and 16-byte nonce.
     *
     * @param plaintext the (already compressed) layer blob; read once, not closed until the returned stream is closed
     * @return a stream of ciphertext; after it reports end of stream, {@link EncryptingLayerStream#result()} gives the
     *         private and public options
     */
    public static EncryptingLayerStream encrypt(InputStream plaintext) {
        byte[] key = new byte[PrivateOptions.SYMKEY_BYTES];
        byte[] nonce = new byte[PrivateOptions.NONCE_BYTES];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(nonce);
        try {
            return encrypt(plaintext, key, nonce);
        } catch (MalformedAnnotationException e) {
            throw new IllegalStateException("unreachable: generated key and nonce have the right sizes", e);
        }
    }

    /**
     * Encrypts with a caller-chosen key and nonce (for reproducing a known ciphertext; never reuse a key/nonce pair
     * for two different plaintexts).
     *
     * @param plaintext the layer blob
     * @param symmetricKey 32 bytes
     * @param nonce 16 bytes, the initial counter block
     * @return the ciphertext stream
     * @throws MalformedAnnotationException when a length is wrong or an argument is null
     */
    public static EncryptingLayerStream encrypt(InputStream plaintext, byte[] symmetricKey, byte[] nonce)
            throws MalformedAnnotationException {
        if (plaintext == null) {
            throw new MalformedAnnotationException("plaintext stream is null");
        }
        // Validates lengths; digest filled in at the end.
        new PrivateOptions(symmetricKey, "", nonce);
        return new EncryptingLayerStream(plaintext, symmetricKey, nonce);
    }

    /**
     * Returns a stream of plaintext decrypted from {@code ciphertext}. At end of the ciphertext the HMAC is compared
     * in constant time with {@code publicOptions.hmac()}, and when {@code privateOptions.digest()} is not empty the
     * sha256/sha512 of the plaintext is compared with it (Go ocicrypt skips this second check; image-rs relies on
     * diff_ids instead). The last {@link #HOLDBACK_BYTES} bytes are released only after both checks pass.
     *
     * @param ciphertext     the encrypted layer blob; closed when the returned stream is closed
     * @param privateOptions the unwrapped private options
     * @param publicOptions  the public options from {@code org.opencontainers.image.enc.pubopts}
     * @param expectedSize   the descriptor {@code size} in bytes, or -1 when unknown
     * @return the plaintext stream; its {@code read} throws {@link LayerIntegrityException} on HMAC or digest
     *         mismatch, {@link LayerTruncatedException} when the length differs from {@code expectedSize}, and passes
     *         through I/O errors of {@code ciphertext}
     * @throws MalformedAnnotationException when an argument is null
     */
    public static InputStream decrypt(InputStream ciphertext, PrivateOptions privateOptions,
            PublicOptions publicOptions, long expectedSize) throws MalformedAnnotationException {
        if (ciphertext == null || privateOptions == null || publicOptions == null) {
            throw new MalformedAnnotationException("ciphertext, private options and public options are required");
        }
        return new DecryptingLayerStream(ciphertext, privateOptions, publicOptions, expectedSize);
    }

    static Cipher ctr(int mode, byte[] key, byte[] nonce) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(nonce));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks AES/CTR/NoPadding", e);
        }
    }

    static Mac hmac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    }
}
