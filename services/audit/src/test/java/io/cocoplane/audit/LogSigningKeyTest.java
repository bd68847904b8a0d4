package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.cocoplane.transparencylog.NoteSigner;
import io.cocoplane.transparencylog.NoteVerifier;

/** PKCS#8 PEM Ed25519 keys as produced by other tools (here the JDK) become the note key. */
class LogSigningKeyTest {

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void aPkcs8PemFromTheJdkGivesTheSameEd25519PublicKey() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = kp.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo: 12-byte header + 32-byte key
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);

        NoteSigner signer = NoteSigner.fromSeed("cocoplane.local/audit", LogSigningKey.seedOf(pem(kp.getPrivate()
                .getEncoded())));
        assertThat(signer.verifier().publicKey()).isEqualTo(raw);

        // a signature made with the JDK key verifies with the note verifier built from it
        var jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initSign(kp.getPrivate());
        byte[] msg = "checkpoint\n".getBytes(StandardCharsets.UTF_8);
        jdk.update(msg);
        assertThat(NoteVerifier.parse(signer.verifier().verifierKey()).verify(msg, jdk.sign())).isTrue();
    }

    @Test
    void generatedPemRoundTrips() {
        String pem = LogSigningKey.generatePem();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(LogSigningKey.seedOf(pem)).hasSize(32).isEqualTo(LogSigningKey.seedOf(pem));
    }

    @Test
    void notPemOrNotEd25519IsRefused() throws Exception {
        assertThatThrownBy(() -> LogSigningKey.seedOf("hello")).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("PEM");
        byte[] ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
        assertThatThrownBy(() -> LogSigningKey.seedOf(pem(ec))).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("Ed25519");
    }
}
