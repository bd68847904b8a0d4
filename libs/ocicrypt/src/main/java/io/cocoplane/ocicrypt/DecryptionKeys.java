package io.cocoplane.ocicrypt;

import java.security.PrivateKey;
import java.util.List;

/**
 * The key material a consumer holds for unwrapping a layer's private options (ocicrypt's {@code DecryptConfig}).
 *
 * @param privateKeys RSA / EC private keys tried against the JWE annotation, in order (may be empty)
 * @param keyResolver resolves CoCo key-provider {@code kid}s to KEKs, or null when none
 */
public record DecryptionKeys(List<PrivateKey> privateKeys, KeyResolver keyResolver) {

    /**
     * Copies the key list; null becomes empty.
     */
    public DecryptionKeys {
        privateKeys = privateKeys == null ? List.of() : List.copyOf(privateKeys);
    }

    /**
     * @param keys private keys for the JWE scheme
     * @return keys without a KEK resolver
     */
    public static DecryptionKeys of(PrivateKey... keys) {
        return new DecryptionKeys(List.of(keys), null);
    }

    /**
     * @param resolver KEK resolver for CoCo key-provider packets
     * @return keys with only a resolver
     */
    public static DecryptionKeys of(KeyResolver resolver) {
        return new DecryptionKeys(List.of(), resolver);
    }
}
