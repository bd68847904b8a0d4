package io.cocoplane.attestation.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The EAR token signing key: EC P-256 for JWS {@code ES256} (RFC 7518 §3.4), {@code kid} = the RFC 7638 SHA-256 JWK
 * thumbprint of the public key (base64url). Stored as a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, RFC 5208/5958
 * with the id-ecPublicKey OID and the prime256v1 curve); the public key is derived from the private scalar.
 */
public final class EarSigningKey {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final ECKey jwk;

    private EarSigningKey(ECKey jwk) {
        this.jwk = jwk;
    }

    /**
     * @param pem a PKCS#8 PEM EC P-256 private key
     * @return the key
     * @throws IllegalArgumentException when the text is not such a key (the message never contains key material)
     */
    public static EarSigningKey fromPem(String pem) {
        int b = pem == null ? -1 : pem.indexOf(BEGIN);
        int e = b < 0 ? -1 : pem.indexOf(END, b);
        if (b < 0 || e < 0) {
            throw new IllegalArgumentException("EAR signing key is not a PEM \"PRIVATE KEY\" (PKCS#8) block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(b + BEGIN.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("EAR signing key PEM body is not base64");
        }
        try {
            if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey priv)) {
                throw new IllegalArgumentException("EAR signing key is not an EC key");
            }
            if (priv.getParams().getCurve().getField().getFieldSize() != 256
                    || !Curve.forECParameterSpec(priv.getParams()).equals(Curve.P_256)) {
                throw new IllegalArgumentException("EAR signing key must be on P-256 (ES256)");
            }
            ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
            org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(priv.getS()).normalize();
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    priv.getParams()));
            ECKey noKid = new ECKey.Builder(Curve.P_256, pub).privateKey(priv).build();
            String kid = noKid.computeThumbprint().toString();
            return new EarSigningKey(new ECKey.Builder(Curve.P_256, pub).privateKey(priv).keyID(kid)
                    .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).build());
        } catch (GeneralSecurityException | JOSEException | RuntimeException ex) {
            if (ex instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("EAR signing key")) {
                throw iae;
            }
            throw new IllegalArgumentException("EAR signing key is not a PKCS#8 EC P-256 key: "
                    + ex.getClass().getSimpleName());
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** @return a new random P-256 key as PKCS#8 PEM */
    public static String generatePem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] der = g.generateKeyPair().getPrivate().getEncoded();
            return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n" + END + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JVM", e);
        }
    }

    /** @return the private JWK (a secret: never log or serve it) */
    public ECKey privateJwk() {
        return jwk;
    }

    /** @return the public JWK ({@code kty, crv, x, y, kid, alg, use}) */
    public ECKey publicJwk() {
        return jwk.toPublicJWK();
    }

    /** @return the key id */
    public String kid() {
        return jwk.getKeyID();
    }

    /** @return the JWKS document {@code {"keys":[<public JWK>]}} as a JSON object map */
    public Map<String, Object> jwks() {
        return new JWKSet(publicJwk()).toJSONObject(true);
    }

    /** @return the public key's affine x coordinate (for tests and logs) */
    public BigInteger publicX() {
        return jwk.getX().decodeToBigInteger();
    }

    @Override
    public String toString() {
        return "EarSigningKey[kid=" + kid() + "]";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
