package io.cocoplane.kbsprotocol;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;

import tools.jackson.databind.node.ObjectNode;

/**
 * An RSA {@code tee-pubkey} (note §2.3): {@code {"kty":"RSA","alg":"RSA-OAEP-256"|"RSA1_5","n","e"}} with {@code n} and
 * {@code e} the unsigned big-endian modulus and exponent as unpadded base64url (no leading zero byte). The guest
 * client's RSA keys are 2048-bit. Whether an {@code RSA1_5} key is <em>used</em> is decided by {@link JweCodec}.
 *
 * @param alg {@code "RSA-OAEP-256"} or {@code "RSA1_5"}
 * @param n   unpadded base64url of the modulus
 * @param e   unpadded base64url of the public exponent
 */
public record RsaTeePubKey(String alg, String n, String e) implements TeePubKey {

    /** {@code alg} of an RSA-OAEP (SHA-256, MGF1-SHA-256) key. */
    public static final String RSA_OAEP_256 = "RSA-OAEP-256";
    /** {@code alg} of a deprecated RSAES-PKCS1-v1_5 key. */
    public static final String RSA1_5 = "RSA1_5";
    /** Smallest accepted modulus, in bits. */
    public static final int MIN_MODULUS_BITS = 2048;
    /** Largest accepted modulus, in bits. */
    public static final int MAX_MODULUS_BITS = 8192;

    /**
     * Validates the members.
     *
     * @throws InvalidTeePubKeyException when {@code alg} is neither RSA-OAEP-256 nor RSA1_5, {@code n}/{@code e} are not
     *                                   canonical unpadded base64url, have a leading zero byte, the modulus is outside
     *                                   {@value #MIN_MODULUS_BITS}..{@value #MAX_MODULUS_BITS} bits or even, or the
     *                                   exponent is not an odd number in 3..2^256
     */
    public RsaTeePubKey {
        if (!RSA_OAEP_256.equals(alg) && !RSA1_5.equals(alg)) {
            throw new InvalidTeePubKeyException("tee-pubkey: RSA key alg must be RSA-OAEP-256 or RSA1_5, got "
                    + RcarJson.quoteForMessage(alg));
        }
        byte[] nb = JwkMembers.b64url(n, "n");
        byte[] eb = JwkMembers.b64url(e, "e");
        if (nb.length == 0 || nb[0] == 0 || eb.length == 0 || eb[0] == 0) {
            throw new InvalidTeePubKeyException("tee-pubkey: RSA n/e must be non-empty without leading zero bytes");
        }
        BigInteger modulus = new BigInteger(1, nb);
        BigInteger exponent = new BigInteger(1, eb);
        if (modulus.bitLength() < MIN_MODULUS_BITS || modulus.bitLength() > MAX_MODULUS_BITS || !modulus.testBit(0)) {
            throw new InvalidTeePubKeyException("tee-pubkey: RSA modulus must be odd and " + MIN_MODULUS_BITS + ".."
                    + MAX_MODULUS_BITS + " bits, got " + modulus.bitLength());
        }
        if (exponent.bitLength() > 256 || !exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0) {
            throw new InvalidTeePubKeyException("tee-pubkey: RSA exponent must be odd, >= 3 and at most 256 bits");
        }
    }

    /**
     * Builds the JWK of a JCA RSA public key.
     *
     * @param key the public key (2048..8192 bits)
     * @param alg {@code "RSA-OAEP-256"} or {@code "RSA1_5"}
     * @return the TEE key
     * @throws InvalidTeePubKeyException when the key or alg is not acceptable (see the canonical constructor)
     */
    public static RsaTeePubKey of(RSAPublicKey key, String alg) {
        return new RsaTeePubKey(alg, RcarJson.encodeUrlUnpadded(unsigned(key.getModulus())),
                RcarJson.encodeUrlUnpadded(unsigned(key.getPublicExponent())));
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length > 1 && raw[0] == 0) {
            return java.util.Arrays.copyOfRange(raw, 1, raw.length);
        }
        return raw;
    }

    static RsaTeePubKey fromJson(ObjectNode o) {
        return new RsaTeePubKey(JwkMembers.member(o, "alg", 32), JwkMembers.member(o, "n", 2048),
                JwkMembers.member(o, "e", 64));
    }

    /**
     * @return {@code {"kty":"RSA","alg","n","e"}} in this order
     */
    @Override
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("kty", "RSA");
        o.put("alg", alg);
        o.put("n", n);
        o.put("e", e);
        return o;
    }

    /**
     * @return the JCA {@link RSAPublicKey}
     */
    @Override
    public RSAPublicKey toPublicKey() {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, JwkMembers.b64url(n, "n")), new BigInteger(1, JwkMembers.b64url(e, "e"))));
        } catch (GeneralSecurityException ex) {
            throw new InvalidTeePubKeyException("tee-pubkey: JDK refused the RSA key", ex);
        }
    }
}
