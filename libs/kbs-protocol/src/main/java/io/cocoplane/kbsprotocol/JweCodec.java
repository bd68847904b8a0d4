package io.cocoplane.kbsprotocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.impl.AESGCM;
import com.nimbusds.jose.crypto.impl.AESKW;
import com.nimbusds.jose.crypto.impl.AuthenticatedCipherText;
import com.nimbusds.jose.crypto.impl.ConcatKDF;
import com.nimbusds.jose.crypto.impl.ECDH;
import com.nimbusds.jose.crypto.impl.RSA1_5;
import com.nimbusds.jose.crypto.impl.RSA_OAEP_SHA2;
import com.nimbusds.jose.crypto.opts.CipherMode;
import com.nimbusds.jose.util.Container;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource {@link Response} JWE of note §2.4, both directions, with nimbus-jose-jwt primitives.
 *
 * <p><b>Encryption (what the KBS does), {@link #encrypt}</b>: random 32-byte CEK, random 12-byte IV, {@code A256GCM}
 * with AAD = ASCII of the {@code protected} member string, 16-byte tag kept separate. Key management by the
 * {@code tee-pubkey}:
 * <ul>
 *   <li>EC P-256/P-521 → {@code ECDH-ES+A256KW}: fresh ephemeral key on the same curve, Z = ECDH x-coordinate, Concat
 *       KDF (SHA-256, 256 bits, AlgorithmID "ECDH-ES+A256KW", empty apu/apv, RFC 7518 §4.6), AES-256 key wrap (RFC
 *       3394) of the CEK → 40-byte {@code encrypted_key}. Header, byte-exact:
 *       {@code {"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":"…","y":"…"}}} with
 *       fixed-length coordinates;</li>
 *   <li>RSA {@code RSA-OAEP-256} → RSAES-OAEP (SHA-256, MGF1-SHA-256); header {@code {"alg":"RSA-OAEP-256","enc":"A256GCM"}};</li>
 *   <li>RSA {@code RSA1_5} → RSAES-PKCS1-v1_5, <em>refused</em> with {@link JweException} unless the codec was built
 *       with {@link #allowingRsa15()}.</li>
 * </ul>
 * The header JSON is compact, members in exactly the order shown (note §2.4 ⚠: the guest re-serializes the header to
 * recompute the AAD, so any other layout fails with a GCM tag error).
 *
 * <p><b>Decryption (what the guest does), {@link #decrypt}</b>, as guest-components {@code keypair.rs:decrypt_response}:
 * the {@code protected} member is decoded into {@code {alg, enc, other members}} and <em>re-serialized</em> by
 * {@link #rebuildProtectedHeader(byte[])}; the AAD is the base64url of that rebuilt JSON, not the received string.
 */
public final class JweCodec {

    /** The only content encryption of the protocol. */
    public static final String ENC = "A256GCM";
    /** Largest plaintext accepted by {@link #encrypt}: 8 MiB (keeps the JSON below {@link RcarJson#MAX_RESPONSE_BYTES}). */
    public static final int MAX_PLAINTEXT_BYTES = 8 * 1024 * 1024;

    private static final JWEHeader KDF_HEADER = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW,
            EncryptionMethod.A256GCM).build();

    private final boolean allowRsa15;
    private final SecureRandom random;

    private JweCodec(boolean allowRsa15, SecureRandom random) {
        this.allowRsa15 = allowRsa15;
        this.random = random;
    }

    /**
     * @return a codec that refuses {@code RSA1_5} in both directions
     */
    public static JweCodec defaults() {
        return new JweCodec(false, new SecureRandom());
    }

    /**
     * @return a codec that also accepts the deprecated {@code RSA1_5} (only for legacy guests; padding-oracle prone)
     */
    public static JweCodec allowingRsa15() {
        return new JweCodec(true, new SecureRandom());
    }

    /**
     * @return whether {@code RSA1_5} is accepted
     */
    public boolean rsa15Allowed() {
        return allowRsa15;
    }

    /**
     * Encrypts a resource to a TEE key (KBS side).
     *
     * @param plaintext the resource bytes, at most {@value #MAX_PLAINTEXT_BYTES}
     * @param teePubKey the key from the attestation token's runtime data
     * @return the flattened JWE
     * @throws JweException when the plaintext is null or too large, the key's alg is {@code RSA1_5} and not allowed,
     *                      or a JCA operation fails
     */
    public Response encrypt(byte[] plaintext, TeePubKey teePubKey) {
        if (plaintext == null || plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new JweException("JWE: plaintext missing or larger than " + MAX_PLAINTEXT_BYTES + " bytes");
        }
        if (teePubKey == null) {
            throw new JweException("JWE: no tee-pubkey");
        }
        byte[] cekBytes = new byte[32];
        random.nextBytes(cekBytes);
        SecretKey cek = new SecretKeySpec(cekBytes, "AES");
        try {
            ObjectNode header = RcarJson.newObject();
            byte[] encryptedKey;
            if (teePubKey instanceof EcTeePubKey ec) {
                ECPublicKey recipient = ec.toPublicKey();
                KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
                kpg.initialize(recipient.getParams(), random);
                KeyPair eph = kpg.generateKeyPair();
                SecretKey z = ECDH.deriveSharedSecret(recipient, eph.getPrivate(), null);
                SecretKey kek = ECDH.deriveSharedKey(KDF_HEADER, z, new ConcatKDF("SHA-256"));
                encryptedKey = AESKW.wrapCEK(cek, kek, null);
                EcTeePubKey epk = EcTeePubKey.of((ECPublicKey) eph.getPublic());
                header.put("alg", EcTeePubKey.ALG);
                header.put("enc", ENC);
                ObjectNode epkJson = header.putObject("epk");
                epkJson.put("crv", epk.crv());
                epkJson.put("kty", "EC");
                epkJson.put("x", epk.x());
                epkJson.put("y", epk.y());
            } else {
                RsaTeePubKey rsa = (RsaTeePubKey) teePubKey;
                RSAPublicKey pub = rsa.toPublicKey();
                if (RsaTeePubKey.RSA1_5.equals(rsa.alg())) {
                    if (!allowRsa15) {
                        throw new JweException("JWE: RSA1_5 is refused unless explicitly enabled");
                    }
                    encryptedKey = RSA1_5.encryptCEK(pub, cek, null);
                } else {
                    encryptedKey = RSA_OAEP_SHA2.encryptCEK(pub, cek, 256, CipherMode.ENCRYPT_DECRYPT, null);
                }
                header.put("alg", rsa.alg());
                header.put("enc", ENC);
            }
            String protectedB64 = RcarJson.encodeUrlUnpadded(RcarJson.write(header));
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            AuthenticatedCipherText act = AESGCM.encrypt(cek, new Container<>(iv), plaintext,
                    protectedB64.getBytes(StandardCharsets.US_ASCII), null);
            return new Response(protectedB64, RcarJson.encodeUrlUnpadded(encryptedKey),
                    RcarJson.encodeUrlUnpadded(iv), RcarJson.encodeUrlUnpadded(act.getCipherText()),
                    RcarJson.encodeUrlUnpadded(act.getAuthenticationTag()), null);
        } catch (JOSEException | GeneralSecurityException e) {
            throw new JweException("JWE: encryption failed: " + e.getMessage(), e);
        } catch (InvalidTeePubKeyException e) {
            throw new JweException("JWE: unusable tee-pubkey: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts a resource response with the TEE private key (guest side).
     *
     * @param response   the parsed JWE
     * @param privateKey the TEE key: {@link ECPrivateKey} (P-256/P-521) for {@code ECDH-ES+A256KW}, {@link RSAPrivateKey}
     *                   for {@code RSA-OAEP-256} (and {@code RSA1_5} when allowed)
     * @return the plaintext
     * @throws JweException when the header is not a JSON object with string {@code alg}/{@code enc}, {@code enc} is
     *                      not A256GCM, {@code alg} is unknown/refused or does not fit the key type, {@code epk} is
     *                      missing/invalid/on another curve, an {@code aad} member is present (not supported), the key
     *                      unwrap fails, or the GCM tag does not verify (tampered header, ciphertext, IV or tag)
     */
    public byte[] decrypt(Response response, PrivateKey privateKey) {
        if (response == null || privateKey == null) {
            throw new JweException("JWE: response and private key are required");
        }
        if (response.aad() != null) {
            throw new JweException("JWE: the aad member is not supported by the protocol");
        }
        byte[] headerBytes = response.protectedHeaderBytes();
        ObjectNode header;
        try {
            header = RcarJson.readObject(headerBytes, Response.MAX_PROTECTED_CHARS, "JWE protected header");
        } catch (InvalidMessageException e) {
            throw new JweException(e.getMessage(), e);
        }
        String rebuilt = rebuildProtectedHeader(header);
        byte[] aad = RcarJson.encodeUrlUnpadded(rebuilt.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        String alg = header.get("alg").asString();
        String enc = header.get("enc").asString();
        if (!ENC.equals(enc)) {
            throw new JweException("JWE: enc must be A256GCM, got " + RcarJson.quoteForMessage(enc));
        }
        byte[] encryptedKey = RcarJson.decodeUrlUnpadded(response.encryptedKey(), "Response.encrypted_key");
        try {
            SecretKey cek;
            switch (alg) {
                case EcTeePubKey.ALG -> {
                    if (!(privateKey instanceof ECPrivateKey ecPriv)) {
                        throw new JweException("JWE: alg ECDH-ES+A256KW needs an EC private key");
                    }
                    EcTeePubKey epk = parseEpk(header.get("epk"));
                    if (!epk.crv().equals(EcTeePubKey.curveName(ecPriv.getParams()))) {
                        throw new JweException("JWE: epk curve " + epk.crv() + " differs from the TEE key's curve");
                    }
                    if (encryptedKey.length != 40) {
                        throw new JweException("JWE: encrypted_key must be 40 bytes for A256KW, got "
                                + encryptedKey.length);
                    }
                    SecretKey z = ECDH.deriveSharedSecret(epk.toPublicKey(), ecPriv, null);
                    SecretKey kek = ECDH.deriveSharedKey(KDF_HEADER, z, new ConcatKDF("SHA-256"));
                    cek = AESKW.unwrapCEK(kek, encryptedKey, null);
                }
                case RsaTeePubKey.RSA_OAEP_256 -> {
                    requireRsa(privateKey, alg);
                    cek = RSA_OAEP_SHA2.decryptCEK(privateKey, encryptedKey, 256, CipherMode.ENCRYPT_DECRYPT, null);
                }
                case RsaTeePubKey.RSA1_5 -> {
                    if (!allowRsa15) {
                        throw new JweException("JWE: RSA1_5 is refused unless explicitly enabled");
                    }
                    requireRsa(privateKey, alg);
                    cek = RSA1_5.decryptCEK(privateKey, encryptedKey, 256, null);
                    if (cek == null) {
                        throw new JweException("JWE: RSA1_5 key decryption failed");
                    }
                }
                default -> throw new JweException("JWE: unsupported alg " + RcarJson.quoteForMessage(alg));
            }
            if (cek.getEncoded() == null || cek.getEncoded().length != 32) {
                throw new JweException("JWE: CEK is not 32 bytes");
            }
            return AESGCM.decrypt(cek, RcarJson.decodeUrlUnpadded(response.iv(), "Response.iv"),
                    RcarJson.decodeUrlUnpadded(response.ciphertext(), "Response.ciphertext"), aad,
                    RcarJson.decodeUrlUnpadded(response.tag(), "Response.tag"), null);
        } catch (JOSEException e) {
            throw new JweException("JWE: decryption failed: " + e.getMessage(), e);
        } catch (InvalidTeePubKeyException e) {
            throw new JweException("JWE: invalid epk: " + e.getMessage(), e);
        }
    }

    private static void requireRsa(PrivateKey key, String alg) {
        if (!(key instanceof RSAPrivateKey)) {
            throw new JweException("JWE: alg " + alg + " needs an RSA private key");
        }
    }

    private static EcTeePubKey parseEpk(JsonNode epk) {
        if (epk == null || !epk.isObject()) {
            throw new JweException("JWE: ECDH-ES+A256KW header lacks an epk object");
        }
        ObjectNode o = (ObjectNode) epk;
        JsonNode kty = o.get("kty");
        if (kty == null || !"EC".equals(kty.asString(null))) {
            throw new JweException("JWE: epk kty must be EC");
        }
        return new EcTeePubKey(JwkMembers.member(o, "crv", 16), EcTeePubKey.ALG, JwkMembers.member(o, "x", 128),
                JwkMembers.member(o, "y", 128));
    }

    /**
     * Recomputes the protected header JSON the way the guest's Rust client does ([KT] {@code ProtectedHeader}: fields
     * {@code alg}, {@code enc}, then the flattened {@code serde_json::Map} of the other members, re-serialized by
     * {@code serde_json::to_string}): compact, {@code alg} first, {@code enc} second, every other member — and every
     * member of nested objects — sorted by the UTF-8 bytes of its name (serde_json's default {@code BTreeMap}), strings
     * escaped as serde_json does ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other controls as <code>&#92;u00xx</code> (lowercase hex)).
     *
     * @param headerJson the decoded {@code protected} bytes
     * @return the rebuilt JSON text whose base64url is the GCM AAD
     * @throws JweException when the bytes are not a JSON object with string {@code alg} and {@code enc}, or hold a
     *                      non-integer number or an integer outside the 64-bit range (their serde_json form is not
     *                      reproduced)
     */
    public static String rebuildProtectedHeader(byte[] headerJson) {
        ObjectNode header;
        try {
            header = RcarJson.readObject(headerJson, Response.MAX_PROTECTED_CHARS, "JWE protected header");
        } catch (InvalidMessageException e) {
            throw new JweException(e.getMessage(), e);
        }
        return rebuildProtectedHeader(header);
    }

    private static String rebuildProtectedHeader(ObjectNode header) {
        JsonNode alg = header.get("alg");
        JsonNode enc = header.get("enc");
        if (alg == null || !alg.isString() || enc == null || !enc.isString()) {
            throw new JweException("JWE: protected header needs string members alg and enc");
        }
        StringBuilder sb = new StringBuilder("{\"alg\":");
        serdeString(sb, alg.asString());
        sb.append(",\"enc\":");
        serdeString(sb, enc.asString());
        for (Map.Entry<String, JsonNode> e : sortedMembers(header)) {
            if (e.getKey().equals("alg") || e.getKey().equals("enc")) {
                continue;
            }
            sb.append(',');
            serdeString(sb, e.getKey());
            sb.append(':');
            serdeValue(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static List<Map.Entry<String, JsonNode>> sortedMembers(JsonNode obj) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(obj.properties());
        members.sort((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8),
                b.getKey().getBytes(StandardCharsets.UTF_8)));
        return members;
    }

    private static void serdeValue(StringBuilder sb, JsonNode v) {
        switch (v.getNodeType()) {
            case STRING -> serdeString(sb, v.asString());
            case BOOLEAN -> sb.append(v.asBoolean());
            case NULL -> sb.append("null");
            case NUMBER -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw new JweException("JWE: protected header holds a number that is not a 64-bit integer");
                }
                sb.append(v.bigIntegerValue().toString());
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    serdeValue(sb, v.get(i));
                }
                sb.append(']');
            }
            case OBJECT -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : sortedMembers(v)) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    serdeString(sb, e.getKey());
                    sb.append(':');
                    serdeValue(sb, e.getValue());
                }
                sb.append('}');
            }
            default -> throw new JweException("JWE: unexpected JSON node in protected header");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void serdeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
