package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.util.Base64URL;

/**
 * The JWE codec of note §2.4: round trips with keys generated here, checked against nimbus's own JWE implementation
 * ({@link JWEObject#parse} + decrypter, and nimbus encrypters) in both directions; byte-exact protected headers;
 * RSA1_5 refusal; tamper detection (trustee #583).
 */
class JweCodecTest {

    private static final byte[] SECRET = "resource: a 32-byte key\n\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    private static final String B64URL = "[A-Za-z0-9_-]";

    private static String header(Response r) {
        return new String(r.protectedHeaderBytes(), StandardCharsets.UTF_8);
    }

    private static JWEObject asNimbus(Response r) throws Exception {
        return JWEObject.parse(String.join(".", r.protectedHeader(), r.encryptedKey(), r.iv(), r.ciphertext(),
                r.tag()));
    }

    private static Response fromCompact(String compact) {
        String[] p = compact.split("\\.", -1);
        return new Response(p[0], p[1], p[2], p[3], p[4], null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-521"})
    void ecEncryptThenNimbusDecrypts(String crv) throws Exception {
        TeeKeyPair kp = TeeKeyPair.generateEc(crv);
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        int coordChars = crv.equals("P-256") ? 43 : 88; // 32 / 66 bytes, unpadded base64url
        assertThat(header(r)).matches("\\{\"alg\":\"ECDH-ES\\+A256KW\",\"enc\":\"A256GCM\",\"epk\":\\{\"crv\":\""
                + crv + "\",\"kty\":\"EC\",\"x\":\"" + B64URL + "{" + coordChars + "}\",\"y\":\"" + B64URL + "{"
                + coordChars + "}\"\\}\\}");
        assertThat(Base64.getUrlDecoder().decode(r.encryptedKey())).hasSize(40);
        assertThat(Base64.getUrlDecoder().decode(r.iv())).hasSize(12);
        assertThat(Base64.getUrlDecoder().decode(r.tag())).hasSize(16);
        assertThat(Base64.getUrlDecoder().decode(r.ciphertext())).hasSize(SECRET.length);

        JWEObject jwe = asNimbus(r);
        jwe.decrypt(new ECDHDecrypter((java.security.interfaces.ECPrivateKey) kp.privateKey()));
        assertThat(jwe.getPayload().toBytes()).isEqualTo(SECRET);
        // and our own guest side
        assertThat(kp.decrypt(r, JweCodec.defaults())).isEqualTo(SECRET);
    }

    @Test
    void rsaOaep256EncryptThenNimbusDecrypts() throws Exception {
        TeeKeyPair kp = TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256);
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        assertThat(header(r)).isEqualTo("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}");
        assertThat(Base64.getUrlDecoder().decode(r.encryptedKey())).hasSize(256);
        JWEObject jwe = asNimbus(r);
        jwe.decrypt(new RSADecrypter(kp.privateKey()));
        assertThat(jwe.getPayload().toBytes()).isEqualTo(SECRET);
        assertThat(kp.decrypt(r, JweCodec.defaults())).isEqualTo(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-521"})
    void nimbusDefaultEcdhLayoutIsRefusedByTheRustCompatibleGuest(String crv) throws Exception {
        // note §2.4 ⚠: nimbus emits {"epk":{"kty",...},"enc","alg"}; the guest rebuilds {"alg","enc","epk":{sorted}}
        // as AAD, so the GCM tag cannot verify, while nimbus itself (received-string AAD) opens the same JWE
        TeeKeyPair kp = TeeKeyPair.generateEc(crv);
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM),
                new Payload(SECRET));
        jwe.encrypt(new ECDHEncrypter((ECPublicKey) kp.teePubKey().toPublicKey()));
        Response r = fromCompact(jwe.serialize());
        assertThat(header(r)).startsWith("{\"epk\"");
        assertThat(JweCodec.rebuildProtectedHeader(r.protectedHeaderBytes())).startsWith("{\"alg\":\"ECDH-ES+A256KW\"");

        JWEObject check = asNimbus(r);
        check.decrypt(new ECDHDecrypter((java.security.interfaces.ECPrivateKey) kp.privateKey()));
        assertThat(check.getPayload().toBytes()).isEqualTo(SECRET);
        assertThatThrownBy(() -> kp.decrypt(r, JweCodec.defaults())).isInstanceOf(JweException.class)
                .hasMessageContaining("decryption failed");
    }

    /**
     * An independent ECDH-ES+A256KW/A256GCM encryptor written with JDK APIs only (KeyAgreement, MessageDigest for the
     * RFC 7518 §4.6 Concat KDF, AESWrap, AES/GCM) that emits the note §2.4 header layout.
     */
    private static Response jdkOnlyEcdhEncrypt(byte[] plaintext, ECPublicKey recipient, String crv) throws Exception {
        java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
        kpg.initialize(recipient.getParams());
        java.security.KeyPair eph = kpg.generateKeyPair();
        javax.crypto.KeyAgreement ka = javax.crypto.KeyAgreement.getInstance("ECDH");
        ka.init(eph.getPrivate());
        ka.doPhase(recipient, true);
        byte[] z = ka.generateSecret();
        java.io.ByteArrayOutputStream otherInfo = new java.io.ByteArrayOutputStream();
        byte[] algId = "ECDH-ES+A256KW".getBytes(StandardCharsets.US_ASCII);
        otherInfo.write(java.nio.ByteBuffer.allocate(4).putInt(algId.length).array());
        otherInfo.write(algId);
        otherInfo.write(new byte[8]); // empty PartyUInfo, PartyVInfo
        otherInfo.write(new byte[] {0, 0, 1, 0}); // SuppPubInfo = 256
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(new byte[] {0, 0, 0, 1});
        sha.update(z);
        sha.update(otherInfo.toByteArray());
        javax.crypto.spec.SecretKeySpec kek = new javax.crypto.spec.SecretKeySpec(sha.digest(), "AES");
        byte[] cekBytes = new byte[32];
        new java.security.SecureRandom().nextBytes(cekBytes);
        javax.crypto.spec.SecretKeySpec cek = new javax.crypto.spec.SecretKeySpec(cekBytes, "AES");
        javax.crypto.Cipher wrap = javax.crypto.Cipher.getInstance("AESWrap");
        wrap.init(javax.crypto.Cipher.WRAP_MODE, kek);
        byte[] ek = wrap.wrap(cek);
        EcTeePubKey epk = EcTeePubKey.of((ECPublicKey) eph.getPublic());
        String h = "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"" + crv
                + "\",\"kty\":\"EC\",\"x\":\"" + epk.x() + "\",\"y\":\"" + epk.y() + "\"}}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String protectedB64 = b64.encodeToString(h.getBytes(StandardCharsets.UTF_8));
        byte[] iv = new byte[12];
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, cek, new javax.crypto.spec.GCMParameterSpec(128, iv));
        gcm.updateAAD(protectedB64.getBytes(StandardCharsets.US_ASCII));
        byte[] out = gcm.doFinal(plaintext);
        byte[] ct = java.util.Arrays.copyOf(out, out.length - 16);
        byte[] tag = java.util.Arrays.copyOfRange(out, out.length - 16, out.length);
        return new Response(protectedB64, b64.encodeToString(ek), b64.encodeToString(iv), b64.encodeToString(ct),
                b64.encodeToString(tag), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-521"})
    void independentJdkEcdhEncryptThenWeDecrypt(String crv) throws Exception {
        TeeKeyPair kp = TeeKeyPair.generateEc(crv);
        Response r = jdkOnlyEcdhEncrypt(SECRET, (ECPublicKey) kp.teePubKey().toPublicKey(), crv);
        assertThat(kp.decrypt(r, JweCodec.defaults())).isEqualTo(SECRET);
        // and nimbus agrees the independent JWE is valid
        JWEObject check = asNimbus(r);
        check.decrypt(new ECDHDecrypter((java.security.interfaces.ECPrivateKey) kp.privateKey()));
        assertThat(check.getPayload().toBytes()).isEqualTo(SECRET);
    }

    @Test
    void nimbusRsaOaepEncryptThenWeDecrypt() throws Exception {
        TeeKeyPair kp = TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256);
        // give nimbus the exact header bytes so its AAD is the protocol's
        JWEHeader h = JWEHeader.parse(Base64URL.encode("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}"));
        JWEObject jwe = new JWEObject(h, new Payload(SECRET));
        jwe.encrypt(new RSAEncrypter((RSAPublicKey) kp.teePubKey().toPublicKey()));
        Response r = fromCompact(jwe.serialize());
        assertThat(kp.decrypt(r, JweCodec.defaults())).isEqualTo(SECRET);
    }

    @Test
    void headerWithOtherMemberOrderFailsAsInTheRustClient() throws Exception {
        // a valid RFC 7516 JWE whose protected header is {"enc","alg"}: nimbus (uses the received string) opens it,
        // the Rust-compatible guest rebuilds {"alg","enc"} as AAD and must fail the GCM tag check
        TeeKeyPair kp = TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256);
        JWEHeader h = JWEHeader.parse(Base64URL.encode("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP-256\"}"));
        JWEObject jwe = new JWEObject(h, new Payload(SECRET));
        jwe.encrypt(new RSAEncrypter((RSAPublicKey) kp.teePubKey().toPublicKey()));
        Response r = fromCompact(jwe.serialize());
        JWEObject check = asNimbus(r);
        check.decrypt(new RSADecrypter(kp.privateKey()));
        assertThat(check.getPayload().toBytes()).isEqualTo(SECRET);
        assertThatThrownBy(() -> kp.decrypt(r, JweCodec.defaults())).isInstanceOf(JweException.class);
    }

    @Test
    void rebuildSortsOtherMembersAndNestedObjects() {
        String in = "{\"zip\":\"x\",\"epk\":{\"y\":\"2\",\"kty\":\"EC\",\"x\":\"1\",\"crv\":\"P-256\"},"
                + "\"enc\":\"A256GCM\",\"kid\":\"k\\n\",\"alg\":\"ECDH-ES+A256KW\",\"n\":7,\"a\":[true,null]}";
        assertThat(JweCodec.rebuildProtectedHeader(in.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"a\":[true,null],"
                        + "\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"1\",\"y\":\"2\"},\"kid\":\"k\\n\",\"n\":7,"
                        + "\"zip\":\"x\"}");
        assertThat(JweCodec.rebuildProtectedHeader("{\"alg\":\"a\",\"enc\":\"\\u0001\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"alg\":\"a\",\"enc\":\"\\u0001\"}");
        assertThatThrownBy(() -> JweCodec.rebuildProtectedHeader("{\"alg\":\"a\",\"enc\":\"b\",\"f\":1.5}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(JweException.class);
        assertThatThrownBy(() -> JweCodec.rebuildProtectedHeader("{\"enc\":\"b\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JweException.class);
        assertThatThrownBy(() -> JweCodec.rebuildProtectedHeader("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JweException.class);
    }

    @Test
    void rsa15RefusedByDefaultInBothDirections() throws Exception {
        TeeKeyPair kp = TeeKeyPair.generateRsa(RsaTeePubKey.RSA1_5);
        assertThatThrownBy(() -> JweCodec.defaults().encrypt(SECRET, kp.teePubKey()))
                .isInstanceOf(JweException.class).hasMessageContaining("RSA1_5");

        Response r = JweCodec.allowingRsa15().encrypt(SECRET, kp.teePubKey());
        assertThat(header(r)).isEqualTo("{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\"}");
        JWEObject jwe = asNimbus(r);
        jwe.decrypt(new RSADecrypter(kp.privateKey()));
        assertThat(jwe.getPayload().toBytes()).isEqualTo(SECRET);

        assertThatThrownBy(() -> kp.decrypt(r, JweCodec.defaults()))
                .isInstanceOf(JweException.class).hasMessageContaining("RSA1_5");
        assertThat(kp.decrypt(r, JweCodec.allowingRsa15())).isEqualTo(SECRET);
    }

    @Test
    void tamperedProtectedHeaderIsDetected() {
        // trustee #583: the header must be authenticated
        TeeKeyPair kp = TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256);
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        String tampered = Base64URL.encode("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"x\":\"1\"}").toString();
        Response t = new Response(tampered, r.encryptedKey(), r.iv(), r.ciphertext(), r.tag(), null);
        assertThatThrownBy(() -> kp.decrypt(t, JweCodec.defaults())).isInstanceOf(JweException.class);
    }

    @Test
    void tamperedCiphertextTagAndIvAreDetected() {
        TeeKeyPair kp = TeeKeyPair.generateEc();
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        Response badCt = new Response(r.protectedHeader(), r.encryptedKey(), r.iv(), flip(r.ciphertext()), r.tag(), null);
        Response badTag = new Response(r.protectedHeader(), r.encryptedKey(), r.iv(), r.ciphertext(), flip(r.tag()), null);
        Response badIv = new Response(r.protectedHeader(), r.encryptedKey(), flip(r.iv()), r.ciphertext(), r.tag(), null);
        Response badKey = new Response(r.protectedHeader(), flip(r.encryptedKey()), r.iv(), r.ciphertext(), r.tag(), null);
        for (Response bad : new Response[] {badCt, badTag, badIv, badKey}) {
            assertThatThrownBy(() -> kp.decrypt(bad, JweCodec.defaults())).isInstanceOf(JweException.class);
        }
    }

    private static String flip(String b64url) {
        byte[] b = Base64.getUrlDecoder().decode(b64url);
        b[0] ^= 1;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void wrongKeyOrCurveRefused() {
        TeeKeyPair p256 = TeeKeyPair.generateEc("P-256");
        TeeKeyPair p521 = TeeKeyPair.generateEc("P-521");
        TeeKeyPair rsa = TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256);
        Response forP256 = JweCodec.defaults().encrypt(SECRET, p256.teePubKey());
        assertThatThrownBy(() -> p521.decrypt(forP256, JweCodec.defaults())).isInstanceOf(JweException.class)
                .hasMessageContaining("curve");
        assertThatThrownBy(() -> rsa.decrypt(forP256, JweCodec.defaults())).isInstanceOf(JweException.class)
                .hasMessageContaining("EC private key");
        assertThatThrownBy(() -> TeeKeyPair.generateEc("P-256").decrypt(forP256, JweCodec.defaults()))
                .isInstanceOf(JweException.class);
        Response forRsa = JweCodec.defaults().encrypt(SECRET, rsa.teePubKey());
        assertThatThrownBy(() -> p256.decrypt(forRsa, JweCodec.defaults())).isInstanceOf(JweException.class)
                .hasMessageContaining("RSA private key");
    }

    @Test
    void unknownAlgEncAndEpkProblemsRefused() {
        TeeKeyPair kp = TeeKeyPair.generateEc();
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        String[] headers = {
                "{\"alg\":\"dir\",\"enc\":\"A256GCM\"}",
                "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A128GCM\",\"epk\":{}}",
                "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\"}",
                "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}}",
                "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}}",
                "not json"};
        for (String h : headers) {
            Response bad = new Response(Base64URL.encode(h).toString(), r.encryptedKey(), r.iv(), r.ciphertext(),
                    r.tag(), null);
            assertThatThrownBy(() -> kp.decrypt(bad, JweCodec.defaults())).as(h).isInstanceOf(JweException.class);
        }
        Response withAad = new Response(r.protectedHeader(), r.encryptedKey(), r.iv(), r.ciphertext(), r.tag(), "AA");
        assertThatThrownBy(() -> kp.decrypt(withAad, JweCodec.defaults())).isInstanceOf(JweException.class);
    }

    @Test
    void offCurveEpkIsRefusedBeforeEcdh() {
        TeeKeyPair kp = TeeKeyPair.generateEc();
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        String x = "A".repeat(42) + "E"; // 32 bytes, (x=1.., y=1..) is not on P-256
        String h = "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
                + x + "\",\"y\":\"" + x + "\"}}";
        Response bad = new Response(Base64URL.encode(h).toString(), r.encryptedKey(), r.iv(), r.ciphertext(), r.tag(),
                null);
        assertThatThrownBy(() -> kp.decrypt(bad, JweCodec.defaults())).isInstanceOf(JweException.class)
                .hasMessageContaining("not on");
    }

    @Test
    void plaintextLimitsAndEmptyPlaintext() {
        TeeKeyPair kp = TeeKeyPair.generateEc();
        assertThat(kp.decrypt(JweCodec.defaults().encrypt(new byte[0], kp.teePubKey()), JweCodec.defaults())).isEmpty();
        assertThatThrownBy(() -> JweCodec.defaults().encrypt(new byte[JweCodec.MAX_PLAINTEXT_BYTES + 1],
                kp.teePubKey())).isInstanceOf(JweException.class);
        assertThatThrownBy(() -> JweCodec.defaults().encrypt(null, kp.teePubKey())).isInstanceOf(JweException.class);
    }

    @Test
    void responseJsonRoundTripKeepsMemberOrder() {
        TeeKeyPair kp = TeeKeyPair.generateEc();
        Response r = JweCodec.defaults().encrypt(SECRET, kp.teePubKey());
        String json = new String(r.toJsonBytes(), StandardCharsets.UTF_8);
        assertThat(json).matches("\\{\"protected\":\"[^\"]+\",\"encrypted_key\":\"[^\"]+\",\"iv\":\"[^\"]+\","
                + "\"ciphertext\":\"[^\"]*\",\"tag\":\"[^\"]+\"\\}");
        assertThat(Response.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(r);
    }
}
