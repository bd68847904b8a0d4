package io.cocoplane.gateway.domain;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;

/**
 * Key material in the forms an operator configures: PEM ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8, RFC 7468 §10;
 * {@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo, §13) or a JWK (RFC 7517; OKP keys per RFC 8037).
 * Errors throw {@link IllegalArgumentException} naming the expected form, never the key bytes.
 */
public final class Keys {

    private Keys() {
    }

    /**
     * @param pemOrJwk an Ed25519 private key as PKCS#8 PEM or as an OKP JWK with {@code crv: Ed25519} and {@code d}
     * @return the JDK private key (algorithm {@code EdDSA})
     * @throws IllegalArgumentException when it is neither, or another curve
     */
    public static PrivateKey ed25519PrivateKey(String pemOrJwk) {
        String s = pemOrJwk.strip();
        try {
            if (s.startsWith("{")) {
                OctetKeyPair okp = OctetKeyPair.parse(s);
                if (!Curve.Ed25519.equals(okp.getCurve()) || okp.getD() == null) {
                    throw new IllegalArgumentException("the JWK must be an OKP Ed25519 private key (crv Ed25519, d)");
                }
                return KeyFactory.getInstance("Ed25519").generatePrivate(
                        new EdECPrivateKeySpec(NamedParameterSpec.ED25519, okp.getDecodedD()));
            }
            return KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(pem(s, "PRIVATE KEY")));
        } catch (ParseException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8 PEM or OKP JWK): "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * @param jwk an EC P-256 private key as a JWK ({@code kty: EC, crv: P-256, x, y, d})
     * @return the key pair as a JWK with {@code kid} = RFC 7638 thumbprint
     * @throws IllegalArgumentException when it is not a P-256 private JWK
     */
    public static ECKey p256FromJwk(String jwk) {
        try {
            ECKey key = ECKey.parse(jwk.strip());
            if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
                throw new IllegalArgumentException("the JWK must be an EC P-256 private key (crv P-256, d)");
            }
            return p256(new KeyPair(key.toECPublicKey(), key.toECPrivateKey()));
        } catch (ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException("not an EC P-256 private JWK: " + e.getClass().getSimpleName());
        }
    }

    /** @return a fresh P-256 key pair as a JWK */
    public static ECKey generateP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return p256(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param pair a P-256 key pair
     * @return it as a JWK whose {@code kid} is its RFC 7638 thumbprint, {@code use: sig}, {@code alg: ES256}
     */
    public static ECKey p256(KeyPair pair) {
        try {
            ECKey key = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                    .privateKey((ECPrivateKey) pair.getPrivate()).build();
            return new ECKey.Builder(key).keyIDFromThumbprint()
                    .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).build();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param key a private key
     * @return its PKCS#8 PEM
     */
    public static String toPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * @param key a public key
     * @return its SubjectPublicKeyInfo PEM
     */
    public static String toPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * @param pem       SubjectPublicKeyInfo PEM
     * @param algorithm JCA key algorithm, e.g. {@code Ed25519}
     * @return the public key
     */
    public static PublicKey publicKey(String pem, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(pem(pem.strip(),
                    "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + algorithm + " public key PEM");
        }
    }

    private static byte[] pem(String s, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = s.indexOf(begin);
        int e = s.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("expected a PEM block " + begin);
        }
        try {
            return Base64.getMimeDecoder().decode(s.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("PEM block " + label + " is not base64");
        }
    }
}
