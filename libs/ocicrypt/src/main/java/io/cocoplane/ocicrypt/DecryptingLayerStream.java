package io.cocoplane.ocicrypt;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * Plaintext stream returned by {@link LayerCipher#decrypt}: AES-256-CTR decryption with HMAC-SHA256 over the
 * ciphertext, the last {@link LayerCipher#HOLDBACK_BYTES} bytes held back until the HMAC (and digest) check at end of
 * stream. Package-private; callers see an {@link InputStream}.
 */
final class DecryptingLayerStream extends InputStream {

    private final InputStream ciphertext;
    private final Cipher cipher;
    private final Mac mac;
    private final byte[] expectedHmac;
    private final MessageDigest plainDigest;
    private final String expectedDigest;
    private final long expectedSize;
    private final byte[] inBuf = new byte[LayerCipher.CHUNK_BYTES];
    private final byte[] pending = new byte[LayerCipher.HOLDBACK_BYTES + 2 * LayerCipher.CHUNK_BYTES];
    private int pendStart;
    private int pendEnd;
    private long count;
    private boolean verified;
    private String failure;
    private boolean truncated;

    DecryptingLayerStream(InputStream ciphertext, PrivateOptions priv, PublicOptions pub, long expectedSize) {
        this.ciphertext = ciphertext;
        byte[] key = priv.symmetricKey();
        this.cipher = LayerCipher.ctr(Cipher.DECRYPT_MODE, key, priv.nonce());
        this.mac = LayerCipher.hmac(key);
        this.expectedHmac = pub.hmac();
        this.expectedDigest = priv.digest();
        this.expectedSize = expectedSize;
        String alg = expectedDigest.startsWith("sha512:") ? "SHA-512" : "SHA-256";
        try {
            this.plainDigest = MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + alg, e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            throwIfFailed();
            int releasable = pendEnd - pendStart - (verified ? 0 : LayerCipher.HOLDBACK_BYTES);
            if (releasable > 0) {
                int n = Math.min(len, releasable);
                System.arraycopy(pending, pendStart, b, off, n);
                pendStart += n;
                return n;
            }
            if (verified) {
                return -1;
            }
            fill();
        }
    }

    private void throwIfFailed() throws LayerIntegrityException {
        if (failure != null) {
            throw truncated ? new LayerTruncatedException(failure) : new LayerIntegrityException(failure);
        }
    }

    private void fill() throws IOException {
        if (pendStart > 0) {
            System.arraycopy(pending, pendStart, pending, 0, pendEnd - pendStart);
            pendEnd -= pendStart;
            pendStart = 0;
        }
        int n = ciphertext.read(inBuf);
        if (n < 0) {
            finish();
            return;
        }
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            fail("layer ciphertext is longer than the descriptor size " + expectedSize + " bytes", true);
            return;
        }
        mac.update(inBuf, 0, n);
        byte[] pt = cipher.update(inBuf, 0, n);
        append(pt);
    }

    private void append(byte[] pt) {
        if (pt == null || pt.length == 0) {
            return;
        }
        plainDigest.update(pt);
        System.arraycopy(pt, 0, pending, pendEnd, pt.length);
        pendEnd += pt.length;
    }

    private void finish() {
        try {
            append(cipher.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR doFinal failed", e);
        }
        if (expectedSize >= 0 && count != expectedSize) {
            fail("layer ciphertext ended after " + count + " bytes, descriptor size is " + expectedSize, true);
            return;
        }
        if (!MessageDigest.isEqual(mac.doFinal(), expectedHmac)) {
            fail("layer HMAC-SHA256 mismatch: ciphertext was modified, truncated or the wrong key was used", false);
            return;
        }
        if (!expectedDigest.isEmpty()) {
            String prefix = expectedDigest.substring(0, expectedDigest.indexOf(':') + 1);
            String actual = prefix + HexFormat.of().formatHex(plainDigest.digest());
            if (!actual.equals(expectedDigest)) {
                fail("decrypted layer digest " + actual + " differs from private options digest " + expectedDigest,
                        false);
                return;
            }
        }
        verified = true;
    }

    private void fail(String message, boolean isTruncation) {
        failure = message;
        truncated = isTruncation;
        pendStart = pendEnd = 0;
    }

    @Override
    public void close() throws IOException {
        ciphertext.close();
    }
}
