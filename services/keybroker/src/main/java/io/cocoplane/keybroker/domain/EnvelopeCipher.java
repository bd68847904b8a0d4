package io.cocoplane.keybroker.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of resources at rest with JDK crypto (see {@link SealedSecret} for the byte layouts): each
 * secret version gets a fresh random 32-byte data key; the value is AES-256-GCM encrypted under it, and the data key
 * is AES-256-GCM wrapped under the keyring's primary master key. {@link #rewrap} moves a data key to another master key
 * without touching (or ever materializing) the value's plaintext.
 */
public final class EnvelopeCipher {

    /** GCM IV length. */
    public static final int IV_BYTES = 12;
    /** GCM tag length. */
    public static final int TAG_BYTES = 16;

    private final SecureRandom random;

    /** @param random randomness for data keys and IVs */
    public EnvelopeCipher(SecureRandom random) {
        this.random = random;
    }

    /**
     * Encrypts a value.
     *
     * @param keyring   the master keys; the primary wraps the data key
     * @param path      resource path (bound into both AADs)
     * @param version   version number (bound into both AADs)
     * @param plaintext the value
     * @return the sealed secret
     */
    public SealedSecret seal(MasterKeyring keyring, String path, long version, byte[] plaintext) {
        byte[] dk = new byte[32];
        random.nextBytes(dk);
        try {
            byte[] ct = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dk, "AES"), valueAad(path, version), plaintext, null);
            String mk = keyring.primaryId();
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, keyring.key(mk), dekAad(mk, path, version), dk, null);
            return new SealedSecret(mk, wrapped, ct);
        } finally {
            Arrays.fill(dk, (byte) 0);
        }
    }

    /**
     * Decrypts a value.
     *
     * @return the plaintext
     * @throws SecretIntegrityException when the master key is unknown or a tag does not verify
     */
    public byte[] open(MasterKeyring keyring, String path, long version, SealedSecret sealed) {
        byte[] dk = unwrap(keyring, path, version, sealed);
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dk, "AES"), valueAad(path, version), null,
                    sealed.ciphertext());
        } finally {
            Arrays.fill(dk, (byte) 0);
        }
    }

    /**
     * Re-wraps the data key under the keyring's primary master key (fresh IV); the value ciphertext is unchanged.
     *
     * @return the re-wrapped secret
     * @throws SecretIntegrityException when the current master key is unknown or the wrapped key's tag does not verify
     */
    public SealedSecret rewrap(MasterKeyring keyring, String path, long version, SealedSecret sealed) {
        byte[] dk = unwrap(keyring, path, version, sealed);
        try {
            String mk = keyring.primaryId();
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, keyring.key(mk), dekAad(mk, path, version), dk, null);
            return new SealedSecret(mk, wrapped, sealed.ciphertext());
        } finally {
            Arrays.fill(dk, (byte) 0);
        }
    }

    private byte[] unwrap(MasterKeyring keyring, String path, long version, SealedSecret sealed) {
        String mk = sealed.masterKeyId();
        byte[] dk = gcm(Cipher.DECRYPT_MODE, keyring.key(mk), dekAad(mk, path, version), null, sealed.wrappedKey());
        if (dk.length != 32) {
            throw new SecretIntegrityException("data key of " + path + " v" + version + " is not 32 bytes");
        }
        return dk;
    }

    private static byte[] valueAad(String path, long version) {
        return ("cocoplane-keybroker/value/v1|" + path + "|" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dekAad(String masterKeyId, String path, long version) {
        return ("cocoplane-keybroker/dek/v1|" + masterKeyId + "|" + path + "|" + version)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Encrypt: returns IV ‖ ct ‖ tag. Decrypt: takes IV ‖ ct ‖ tag, returns the plaintext. */
    private byte[] gcm(int mode, SecretKey key, byte[] aad, byte[] plaintext, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
                c.updateAAD(aad);
                byte[] ct = c.doFinal(plaintext);
                byte[] out = new byte[IV_BYTES + ct.length];
                System.arraycopy(iv, 0, out, 0, IV_BYTES);
                System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
                return out;
            }
            if (sealed == null || sealed.length < IV_BYTES + TAG_BYTES) {
                throw new SecretIntegrityException("sealed value shorter than IV + tag");
            }
            c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 0, IV_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretIntegrityException("GCM tag does not verify", e);
        } catch (GeneralSecurityException e) {
            throw new SecretIntegrityException("AES-GCM failed: " + e.getMessage(), e);
        }
    }
}
