package io.cocoplane.kbsprotocol;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;

import tools.jackson.databind.node.ObjectNode;

/**
 * An EC {@code tee-pubkey} (note §2.3): {@code {"kty":"EC","crv":"P-256"|"P-521","alg":"ECDH-ES+A256KW","x","y"}}
 * with {@code x}/{@code y} the <em>fixed-length</em> big-endian affine coordinates (32 bytes for P-256, 66 for P-521)
 * as unpadded base64url. The KBS answers such a key with {@code ECDH-ES+A256KW} + {@code A256GCM} (note §2.4).
 *
 * @param crv {@code "P-256"} or {@code "P-521"}
 * @param alg always {@code "ECDH-ES+A256KW"}
 * @param x   unpadded base64url of the x coordinate
 * @param y   unpadded base64url of the y coordinate
 */
public record EcTeePubKey(String crv, String alg, String x, String y) implements TeePubKey {

    /** The only {@code alg} an EC TEE key may carry. */
    public static final String ALG = "ECDH-ES+A256KW";

    /**
     * Validates the members.
     *
     * @throws InvalidTeePubKeyException when {@code crv} is not P-256/P-521, {@code alg} is not ECDH-ES+A256KW, a
     *                                   coordinate is not canonical unpadded base64url of exactly the field length,
     *                                   or the point is not on the curve
     */
    public EcTeePubKey {
        int len = coordinateLength(crv);
        if (!ALG.equals(alg)) {
            throw new InvalidTeePubKeyException("tee-pubkey: EC key alg must be " + ALG + ", got "
                    + RcarJson.quoteForMessage(alg));
        }
        byte[] xb = JwkMembers.b64url(x, "x");
        byte[] yb = JwkMembers.b64url(y, "y");
        if (xb.length != len || yb.length != len) {
            throw new InvalidTeePubKeyException("tee-pubkey: " + crv + " coordinates must be " + len
                    + " bytes, got x=" + xb.length + " y=" + yb.length);
        }
        // nimbus refuses points that are not on the named curve (invalid-curve attacks on ECDH)
        try {
            new ECKey.Builder(Curve.parse(crv), new com.nimbusds.jose.util.Base64URL(x),
                    new com.nimbusds.jose.util.Base64URL(y)).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidTeePubKeyException("tee-pubkey: point is not on " + crv, e);
        }
    }

    /**
     * @param crv {@code "P-256"} or {@code "P-521"}
     * @return the coordinate length in bytes: 32 or 66
     * @throws InvalidTeePubKeyException for any other curve name
     */
    public static int coordinateLength(String crv) {
        if ("P-256".equals(crv)) {
            return 32;
        }
        if ("P-521".equals(crv)) {
            return 66;
        }
        throw new InvalidTeePubKeyException("tee-pubkey: unsupported EC curve " + RcarJson.quoteForMessage(crv)
                + " (P-256 or P-521)");
    }

    /**
     * Builds the JWK of a JCA EC public key.
     *
     * @param key a P-256 or P-521 public key
     * @return the TEE key with fixed-length coordinates
     * @throws InvalidTeePubKeyException when the key is on another curve
     */
    public static EcTeePubKey of(ECPublicKey key) {
        String crv = curveName(key.getParams());
        int len = coordinateLength(crv);
        return new EcTeePubKey(crv, ALG, RcarJson.encodeUrlUnpadded(fixed(key.getW().getAffineX(), len)),
                RcarJson.encodeUrlUnpadded(fixed(key.getW().getAffineY(), len)));
    }

    /**
     * Names the curve of EC domain parameters.
     *
     * @param params domain parameters from a JCA key
     * @return {@code "P-256"} or {@code "P-521"}
     * @throws InvalidTeePubKeyException for any other curve
     */
    static String curveName(ECParameterSpec params) {
        Curve c = Curve.forECParameterSpec(params);
        if (c == null || !(Curve.P_256.equals(c) || Curve.P_521.equals(c))) {
            throw new InvalidTeePubKeyException("tee-pubkey: unsupported EC curve (P-256 or P-521)");
        }
        return c.getName();
    }

    /** Fixed-length unsigned big-endian encoding of a coordinate (left-padded with zero bytes). */
    static byte[] fixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        if (raw.length == len) {
            return raw;
        }
        if (raw.length == len + 1 && raw[0] == 0) {
            return Arrays.copyOfRange(raw, 1, raw.length);
        }
        if (raw.length > len) {
            throw new InvalidTeePubKeyException("tee-pubkey: coordinate longer than " + len + " bytes");
        }
        byte[] out = new byte[len];
        System.arraycopy(raw, 0, out, len - raw.length, raw.length);
        return out;
    }

    static EcTeePubKey fromJson(ObjectNode o) {
        return new EcTeePubKey(JwkMembers.member(o, "crv", 16), JwkMembers.member(o, "alg", 32),
                JwkMembers.member(o, "x", 128), JwkMembers.member(o, "y", 128));
    }

    /**
     * @return {@code {"kty":"EC","crv","alg","x","y"}} in this order
     */
    @Override
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("kty", "EC");
        o.put("crv", crv);
        o.put("alg", alg);
        o.put("x", x);
        o.put("y", y);
        return o;
    }

    /**
     * @return the JCA {@link ECPublicKey}
     */
    @Override
    public ECPublicKey toPublicKey() {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec("P-256".equals(crv) ? "secp256r1" : "secp521r1"));
            ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
            ECPoint w = new ECPoint(new BigInteger(1, JwkMembers.b64url(x, "x")),
                    new BigInteger(1, JwkMembers.b64url(y, "y")));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
        } catch (GeneralSecurityException e) {
            throw new InvalidTeePubKeyException("tee-pubkey: JDK refused the EC key", e);
        }
    }
}
