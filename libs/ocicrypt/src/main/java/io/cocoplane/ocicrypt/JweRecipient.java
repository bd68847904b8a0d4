package io.cocoplane.ocicrypt;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * One JWE recipient of a layer's private options: a public key and the JWE key-management algorithm used for it
 * (RFC 7518 §4). {@link #of(PublicKey)} picks what ocicrypt picks for a PEM/DER key (registry note §3.4): RSA-OAEP
 * (SHA-1) for RSA, ECDH-ES+A256KW for EC.
 *
 * @param publicKey an {@link RSAPublicKey} (2048 bits or more) or an {@link ECPublicKey} on P-256, P-384 or P-521
 * @param algorithm the key-management algorithm, consistent with the key type
 */
public record JweRecipient(PublicKey publicKey, Algorithm algorithm) {

    /** JWE key-management algorithms ocicrypt uses for its JWE scheme. */
    public enum Algorithm {
        /** RSAES-OAEP with SHA-1 and MGF1-SHA-1 (ocicrypt's default for RSA keys). */
        RSA_OAEP("RSA-OAEP", true),
        /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (selectable through a JWK in ocicrypt). */
        RSA_OAEP_256("RSA-OAEP-256", true),
        /** ECDH-ES (Concat KDF, empty apu/apv) with A128KW. */
        ECDH_ES_A128KW("ECDH-ES+A128KW", false),
        /** ECDH-ES (Concat KDF, empty apu/apv) with A192KW. */
        ECDH_ES_A192KW("ECDH-ES+A192KW", false),
        /** ECDH-ES (Concat KDF, empty apu/apv) with A256KW (ocicrypt's default for EC keys). */
        ECDH_ES_A256KW("ECDH-ES+A256KW", false);

        private final String jose;
        private final boolean rsa;

        Algorithm(String jose, boolean rsa) {
            this.jose = jose;
            this.rsa = rsa;
        }

        /**
         * @return the JOSE {@code alg} name, e.g. {@code RSA-OAEP}
         */
        public String joseName() {
            return jose;
        }

        /**
         * @return true for the RSA algorithms, false for the ECDH-ES ones
         */
        public boolean isRsa() {
            return rsa;
        }

        /**
         * @param joseName a JOSE {@code alg} value
         * @return the matching algorithm, or null when it is not one ocicrypt uses
         */
        public static Algorithm fromJoseName(String joseName) {
            for (Algorithm a : values()) {
                if (a.jose.equals(joseName)) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * @throws IllegalArgumentException when a component is null or the key type does not fit the algorithm
     */
    public JweRecipient {
        if (publicKey == null || algorithm == null) {
            throw new IllegalArgumentException("public key and algorithm are required");
        }
        if (algorithm.isRsa() ? !(publicKey instanceof RSAPublicKey) : !(publicKey instanceof ECPublicKey)) {
            throw new IllegalArgumentException(algorithm.joseName() + " needs an "
                    + (algorithm.isRsa() ? "RSA" : "EC") + " public key, got " + publicKey.getAlgorithm());
        }
    }

    /**
     * @param publicKey an RSA or EC public key
     * @return a recipient with ocicrypt's default algorithm for that key type
     * @throws IllegalArgumentException when the key is null or neither RSA nor EC
     */
    public static JweRecipient of(PublicKey publicKey) {
        if (publicKey instanceof RSAPublicKey) {
            return new JweRecipient(publicKey, Algorithm.RSA_OAEP);
        }
        if (publicKey instanceof ECPublicKey) {
            return new JweRecipient(publicKey, Algorithm.ECDH_ES_A256KW);
        }
        throw new IllegalArgumentException("JWE recipients need an RSA or EC public key");
    }
}
