package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerCipherTest {

    /** Independent reference: BouncyCastle's low-level AES + SIC (CTR) engine and HMac. */
    private static byte[][] referenceEncrypt(byte[] key, byte[] nonce, byte[] plain) {
        SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] ct = new byte[plain.length];
        ctr.processBytes(plain, 0, plain.length, ct, 0);
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(ct, 0, ct.length);
        byte[] tag = new byte[32];
        mac.doFinal(tag, 0);
        return new byte[][] {ct, tag};
    }

    private static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static LayerEncryptionResult encryptAll(byte[] plain, ByteArrayOutputStream sink) throws IOException {
        try (EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(plain))) {
            s.transferTo(sink);
            return s.result();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 8191, 8192, 10239, 10240, 10241, 100_003})
    void roundTripMatchesIndependentAesCtrAndHmac(int size) throws Exception {
        byte[] plain = TestKeys.random(size);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);

        byte[][] ref = referenceEncrypt(r.privateOptions().symmetricKey(), r.privateOptions().nonce(), plain);
        assertThat(ct.toByteArray()).isEqualTo(ref[0]);
        assertThat(r.publicOptions().hmac()).isEqualTo(ref[1]);
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.ciphertextDigest()).isEqualTo(sha256(ref[0]));
        assertThat(r.privateOptions().digest()).isEqualTo(sha256(plain));

        try (InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), r.privateOptions(),
                r.publicOptions(), size)) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void byteByByteReadsGiveTheSamePlaintext() throws Exception {
        byte[] plain = TestKeys.random(20_000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), r.privateOptions(),
                r.publicOptions(), -1)) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
            }
        }
        assertThat(out.toByteArray()).isEqualTo(plain);
    }

    @Test
    void tamperedCiphertextIsAnHmacErrorAndTheTailIsWithheld() throws Exception {
        byte[] plain = TestKeys.random(50_000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        byte[] bad = ct.toByteArray();
        bad[bad.length - 1] ^= 0x01;

        ByteArrayOutputStream released = new ByteArrayOutputStream();
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(bad), r.privateOptions(), r.publicOptions(),
                bad.length);
        byte[] buf = new byte[4096];
        assertThatThrownBy(() -> {
            int n;
            while ((n = in.read(buf)) >= 0) {
                released.write(buf, 0, n);
            }
        }).isExactlyInstanceOf(LayerIntegrityException.class).hasMessageContaining("HMAC");
        assertThat(released.size()).isLessThanOrEqualTo(plain.length - LayerCipher.HOLDBACK_BYTES);
        // further reads keep failing rather than returning end of stream
        assertThatThrownBy(() -> in.read(buf)).isInstanceOf(LayerIntegrityException.class);
    }

    @Test
    void wrongSymmetricKeyIsAnHmacError() throws Exception {
        byte[] plain = TestKeys.random(3000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        PrivateOptions wrong = new PrivateOptions(TestKeys.random(32), r.privateOptions().digest(),
                r.privateOptions().nonce());
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), wrong, r.publicOptions(), -1);
        assertThatThrownBy(in::readAllBytes).isExactlyInstanceOf(LayerIntegrityException.class);
    }

    @Test
    void truncatedStreamWithKnownSizeIsTypedTruncation() throws Exception {
        byte[] plain = TestKeys.random(30_000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        byte[] cut = Arrays.copyOf(ct.toByteArray(), 29_000);
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(cut), r.privateOptions(), r.publicOptions(),
                r.size());
        assertThatThrownBy(in::readAllBytes).isExactlyInstanceOf(LayerTruncatedException.class)
                .hasMessageContaining("29000").hasMessageContaining("30000");
    }

    @Test
    void truncatedStreamWithoutSizeIsAnHmacError() throws Exception {
        byte[] plain = TestKeys.random(30_000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        byte[] cut = Arrays.copyOf(ct.toByteArray(), 29_999);
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(cut), r.privateOptions(), r.publicOptions(), -1);
        assertThatThrownBy(in::readAllBytes).isExactlyInstanceOf(LayerIntegrityException.class);
    }

    @Test
    void longerStreamThanDescriptorSizeIsTypedTruncation() throws Exception {
        byte[] plain = TestKeys.random(1000);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        byte[] longer = Arrays.copyOf(ct.toByteArray(), 1001);
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(longer), r.privateOptions(), r.publicOptions(),
                1000);
        assertThatThrownBy(in::readAllBytes).isExactlyInstanceOf(LayerTruncatedException.class);
    }

    @Test
    void plaintextDigestMismatchInPrivateOptionsIsAnIntegrityError() throws Exception {
        byte[] plain = TestKeys.random(500);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        PrivateOptions lying = new PrivateOptions(r.privateOptions().symmetricKey(), "sha256:" + "0".repeat(64),
                r.privateOptions().nonce());
        InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), lying, r.publicOptions(), -1);
        assertThatThrownBy(in::readAllBytes).isExactlyInstanceOf(LayerIntegrityException.class)
                .hasMessageContaining("digest");
    }

    @Test
    void emptyDigestSkipsThePlaintextCheckLikeGoOcicrypt() throws Exception {
        byte[] plain = TestKeys.random(500);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r = encryptAll(plain, ct);
        PrivateOptions noDigest = new PrivateOptions(r.privateOptions().symmetricKey(), "", r.privateOptions().nonce());
        try (InputStream in = LayerCipher.decrypt(new ByteArrayInputStream(ct.toByteArray()), noDigest,
                r.publicOptions(), -1)) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    /** A deterministic plaintext of {@code size} bytes generated on the fly (never held in memory). */
    private static InputStream generated(long size, MessageDigest digest) {
        return new InputStream() {
            long left = size;
            long counter;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (counter++ * 31 >>> 3);
                }
                digest.update(b, off, n);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void largeLayerStreamsThroughBothDirections() throws Exception {
        long size = 32L * 1024 * 1024 + 5;
        MessageDigest plainDigest = MessageDigest.getInstance("SHA-256");
        EncryptingLayerStream enc = LayerCipher.encrypt(generated(size, plainDigest));
        assertThat(enc.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(size);
        LayerEncryptionResult r = enc.result();
        String expectedDigest = "sha256:" + HexFormat.of().formatHex(plainDigest.digest());
        assertThat(r.privateOptions().digest()).isEqualTo(expectedDigest);

        // Second pass: regenerate the same ciphertext (same key and nonce) and pipe it straight into decryption.
        InputStream ciphertext = LayerCipher.encrypt(generated(size, MessageDigest.getInstance("SHA-256")),
                r.privateOptions().symmetricKey(), r.privateOptions().nonce());
        MessageDigest outDigest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = LayerCipher.decrypt(ciphertext, r.privateOptions(), r.publicOptions(), r.size())) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                outDigest.update(buf, 0, n);
            }
        }
        assertThat("sha256:" + HexFormat.of().formatHex(outDigest.digest())).isEqualTo(expectedDigest);
    }

    @Test
    void resultBeforeEndOfStreamIsRefused() throws Exception {
        EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(new byte[100]));
        s.read(new byte[10]);
        assertThat(s.isComplete()).isFalse();
        assertThatThrownBy(s::result).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void knownKeyAndNonceReproduceCiphertext() throws Exception {
        byte[] key = TestKeys.random(32);
        byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte) 0xff); // counter wraps around 2^128: must continue big-endian at 0 like Go
        byte[] plain = TestKeys.random(100);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(plain), key, nonce)) {
            s.transferTo(ct);
        }
        assertThat(ct.toByteArray()).isEqualTo(referenceEncrypt(key, nonce, plain)[0]);
    }

    @Test
    void badKeyOrNonceLengthsAreRejected() {
        assertThatThrownBy(() -> LayerCipher.encrypt(new ByteArrayInputStream(new byte[1]), new byte[16], new byte[16]))
                .isInstanceOf(MalformedAnnotationException.class).hasMessageContaining("symkey");
        assertThatThrownBy(() -> LayerCipher.encrypt(new ByteArrayInputStream(new byte[1]), new byte[32], new byte[12]))
                .isInstanceOf(MalformedAnnotationException.class).hasMessageContaining("nonce");
    }
}
