package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    private static byte[] pkcs8Pem(PrivateKey k) throws Exception {
        return pem(new JcaPKCS8Generator(k, null)).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pkcs8PemForRsaAndEc() throws Exception {
        for (KeyPair kp : new KeyPair[] {TestKeys.RSA, TestKeys.EC}) {
            byte[] pem = pkcs8Pem(kp.getPrivate());
            assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(KeyMaterial.parsePrivateKey(pem).getEncoded()).isEqualTo(kp.getPrivate().getEncoded());
            assertThat(KeyMaterial.parsePrivateKey(kp.getPrivate().getEncoded()).getEncoded())
                    .isEqualTo(kp.getPrivate().getEncoded());
        }
    }

    @Test
    void pkcs1RsaPem() throws Exception {
        // JcaPEMWriter writes a java.security.PrivateKey (RSA) as traditional "RSA PRIVATE KEY" (PKCS#1).
        String pem = pem(TestKeys.RSA.getPrivate());
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(KeyMaterial.parsePrivateKey(pem.getBytes(StandardCharsets.US_ASCII)).getEncoded())
                .isEqualTo(TestKeys.RSA.getPrivate().getEncoded());
    }

    @Test
    void sec1EcPemWithAndWithoutPublicKey() throws Exception {
        // SEC1 (RFC 5915) as "openssl ecparam -genkey" writes it: version, privateKey, [0] curve OID, [1] public key.
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(TestKeys.EC.getPrivate().getEncoded());
        java.math.BigInteger s = ((java.security.interfaces.ECPrivateKey) TestKeys.EC.getPrivate()).getS();
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                .getInstance(TestKeys.EC.getPublic().getEncoded());
        ECPrivateKey withPub = new ECPrivateKey(256, s, spki.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        ECPrivateKey withoutPub = new ECPrivateKey(256, s, info.getPrivateKeyAlgorithm().getParameters());
        for (ECPrivateKey sec1 : new ECPrivateKey[] {withPub, withoutPub}) {
            String pem = pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            PrivateKey parsed = KeyMaterial.parsePrivateKey(pem.getBytes(StandardCharsets.US_ASCII));
            assertThat(((java.security.interfaces.ECPrivateKey) parsed).getS()).isEqualTo(s);
        }
    }

    @Test
    void encryptedPkcs8NeedsTheRightPassword() throws Exception {
        char[] password = "correct horse".toCharArray();
        String pem = pem(new JcaPKCS8Generator(TestKeys.EC.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword(password).build()));
        byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(KeyMaterial.parsePrivateKey(bytes, password).getEncoded())
                .isEqualTo(TestKeys.EC.getPrivate().getEncoded());
        assertThatThrownBy(() -> KeyMaterial.parsePrivateKey(bytes)).isInstanceOf(KeyParseException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> KeyMaterial.parsePrivateKey(bytes, "wrong".toCharArray()))
                .isInstanceOf(KeyParseException.class);
    }

    @Test
    void legacyOpensslEncryptedPkcs1Pem() throws Exception {
        char[] password = "pw".toCharArray();
        String pem = pem2(TestKeys.RSA.getPrivate(), password);
        assertThat(pem).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(KeyMaterial.parsePrivateKey(pem.getBytes(StandardCharsets.US_ASCII), password).getEncoded())
                .isEqualTo(TestKeys.RSA.getPrivate().getEncoded());
    }

    private static String pem2(PrivateKey k, char[] password) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(k, new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(password));
        }
        return w.toString();
    }

    @Test
    void publicKeysPemAndDer() throws Exception {
        for (KeyPair kp : new KeyPair[] {TestKeys.RSA, TestKeys.EC}) {
            byte[] pem = pem(kp.getPublic()).getBytes(StandardCharsets.US_ASCII);
            assertThat(KeyMaterial.parsePublicKey(pem)).isEqualTo(kp.getPublic());
            assertThat(KeyMaterial.parsePublicKey(kp.getPublic().getEncoded())).isEqualTo(kp.getPublic());
        }
    }

    @Test
    void badKeyInputIsTyped() throws Exception {
        byte[][] bad = {new byte[0], "hello".getBytes(), "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n"
                .getBytes(), new byte[KeyMaterial.MAX_KEY_BYTES + 1], pem(TestKeys.RSA.getPublic()).getBytes()};
        for (byte[] b : bad) {
            assertThatThrownBy(() -> KeyMaterial.parsePrivateKey(b)).isInstanceOf(KeyParseException.class);
        }
        assertThatThrownBy(() -> KeyMaterial.parsePublicKey(pkcs8Pem(TestKeys.RSA.getPrivate())))
                .isInstanceOf(KeyParseException.class);
        assertThatThrownBy(() -> KeyMaterial.parsePublicKey("junk".getBytes())).isInstanceOf(KeyParseException.class);
    }

    @Test
    void nonRsaEcKeysAreRejected() throws Exception {
        KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> KeyMaterial.parsePrivateKey(pkcs8Pem(ed.getPrivate())))
                .isInstanceOf(KeyParseException.class).hasMessageContaining("RSA or EC");
        assertThatThrownBy(() -> KeyMaterial.parsePublicKey(ed.getPublic().getEncoded()))
                .isInstanceOf(KeyParseException.class);
    }
}
