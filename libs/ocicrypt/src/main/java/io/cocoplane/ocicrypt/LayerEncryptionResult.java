package io.cocoplane.ocicrypt;

/**
 * What an {@link EncryptingLayerStream} yields once fully read.
 *
 * @param privateOptions   the layer key, nonce and plaintext digest, to be wrapped for each recipient
 * @param publicOptions    the cipher name and the HMAC-SHA256 of the ciphertext, for {@code ...enc.pubopts}
 * @param ciphertextDigest {@code sha256:<hex>} of the ciphertext, the new descriptor {@code digest}
 * @param size             ciphertext length in bytes (equal to the plaintext length: CTR adds no padding), the new
 *                         descriptor {@code size}
 */
public record LayerEncryptionResult(PrivateOptions privateOptions, PublicOptions publicOptions, String ciphertextDigest,
        long size) {
}
