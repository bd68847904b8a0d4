package io.cocoplane.keybroker.domain;

/**
 * One envelope-encrypted secret version as stored.
 *
 * <p>Byte layouts: {@code wrappedKey} = IV (12) ‖ AES-256-GCM ciphertext of the 32-byte data key (32) ‖ tag (16) =
 * 60 bytes, under master key {@code masterKeyId} with AAD {@code "cocoplane-keybroker/dek/v1|<masterKeyId>|<path>|<version>"};
 * {@code ciphertext} = IV (12) ‖ AES-256-GCM ciphertext of the value (same length) ‖ tag (16), under the data key with
 * AAD {@code "cocoplane-keybroker/value/v1|<path>|<version>"}. The AADs bind a row to its path and version, so rows
 * cannot be swapped.
 *
 * @param masterKeyId id of the master key that wraps the data key
 * @param wrappedKey  the wrapped data key (60 bytes)
 * @param ciphertext  the encrypted value (plaintext length + 28 bytes)
 */
public record SealedSecret(String masterKeyId, byte[] wrappedKey, byte[] ciphertext) {

    /** @return plaintext length in bytes */
    public long plaintextSize() {
        return ciphertext.length - EnvelopeCipher.IV_BYTES - EnvelopeCipher.TAG_BYTES;
    }
}
