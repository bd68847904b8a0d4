package io.cocoplane.kbsprotocol;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The guest's ephemeral TEE key pair (note §2.3): its public half travels as {@code tee-pubkey}, its private half
 * opens the resource JWE. Defaults follow the Rust client: EC P-256 with {@code ECDH-ES+A256KW}; RSA keys are
 * 2048-bit.
 */
public final class TeeKeyPair {

    private final TeePubKey teePubKey;
    private final PrivateKey privateKey;

    private TeeKeyPair(TeePubKey teePubKey, PrivateKey privateKey) {
        this.teePubKey = teePubKey;
        this.privateKey = privateKey;
    }

    /**
     * @return a fresh P-256 key pair (the client default)
     */
    public static TeeKeyPair generateEc() {
        return generateEc("P-256");
    }

    /**
     * Generates an EC key pair.
     *
     * @param crv {@code "P-256"} or {@code "P-521"}
     * @return the key pair, alg {@code ECDH-ES+A256KW}
     * @throws InvalidTeePubKeyException for any other curve
     */
    public static TeeKeyPair generateEc(String crv) {
        EcTeePubKey.coordinateLength(crv);
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("P-256".equals(crv) ? "secp256r1" : "secp521r1"), new SecureRandom());
            return of(kpg.generateKeyPair(), EcTeePubKey.ALG);
        } catch (GeneralSecurityException e) {
            throw new InvalidTeePubKeyException("JDK cannot generate " + crv + " keys", e);
        }
    }

    /**
     * Generates a 2048-bit RSA key pair.
     *
     * @param alg {@code "RSA-OAEP-256"} or {@code "RSA1_5"}
     * @return the key pair
     * @throws InvalidTeePubKeyException for any other alg
     */
    public static TeeKeyPair generateRsa(String alg) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(2048, new SecureRandom());
            return of(kpg.generateKeyPair(), alg);
        } catch (GeneralSecurityException e) {
            throw new InvalidTeePubKeyException("JDK cannot generate RSA keys", e);
        }
    }

    /**
     * Wraps an existing JCA key pair.
     *
     * @param keyPair an EC (P-256/P-521) or RSA (2048..8192-bit) key pair
     * @param alg     {@code ECDH-ES+A256KW} for EC; {@code RSA-OAEP-256} or {@code RSA1_5} for RSA
     * @return the TEE key pair
     * @throws InvalidTeePubKeyException when the key type, curve, size or alg is not acceptable
     */
    public static TeeKeyPair of(KeyPair keyPair, String alg) {
        if (keyPair == null) {
            throw new InvalidTeePubKeyException("no key pair");
        }
        if (keyPair.getPublic() instanceof ECPublicKey ec && keyPair.getPrivate() instanceof ECPrivateKey) {
            if (!EcTeePubKey.ALG.equals(alg)) {
                throw new InvalidTeePubKeyException("EC TEE keys use alg " + EcTeePubKey.ALG);
            }
            return new TeeKeyPair(EcTeePubKey.of(ec), keyPair.getPrivate());
        }
        if (keyPair.getPublic() instanceof RSAPublicKey rsa && keyPair.getPrivate() instanceof RSAPrivateKey) {
            return new TeeKeyPair(RsaTeePubKey.of(rsa, alg), keyPair.getPrivate());
        }
        throw new InvalidTeePubKeyException("TEE keys must be EC or RSA key pairs");
    }

    /**
     * @return the public half as sent in {@code runtime-data.tee-pubkey}
     */
    public TeePubKey teePubKey() {
        return teePubKey;
    }

    /**
     * @return the private half
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * Opens a resource response (see {@link JweCodec#decrypt}).
     *
     * @param response the JWE
     * @param codec    the codec (decides whether RSA1_5 is accepted)
     * @return the plaintext
     * @throws JweException as {@link JweCodec#decrypt}
     */
    public byte[] decrypt(Response response, JweCodec codec) {
        return codec.decrypt(response, privateKey);
    }
}
