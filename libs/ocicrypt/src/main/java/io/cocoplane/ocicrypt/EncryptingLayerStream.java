package io.cocoplane.ocicrypt;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * Ciphertext stream produced by {@link LayerCipher#encrypt(InputStream)}: reads the plaintext layer chunk by chunk,
 * encrypts with AES-256-CTR, and feeds the ciphertext into HMAC-SHA256 and sha256 as it goes. Once a read has returned
 * -1, {@link #result()} holds the options and the ciphertext digest and size.
 */
public final class EncryptingLayerStream extends InputStream {

    private final InputStream plaintext;
    private final byte[] key;
    private final byte[] nonce;
    private final Cipher cipher;
    private final Mac mac;
    private final MessageDigest plainDigest;
    private final MessageDigest cipherDigest;
    private final byte[] inBuf = new byte[LayerCipher.CHUNK_BYTES];
    private byte[] out = new byte[0];
    private int outPos;
    private long size;
    private boolean eof;
    private LayerEncryptionResult result;

    EncryptingLayerStream(InputStream plaintext, byte[] key, byte[] nonce) {
        this.plaintext = plaintext;
        this.key = key.clone();
        this.nonce = nonce.clone();
        this.cipher = LayerCipher.ctr(Cipher.ENCRYPT_MODE, key, nonce);
        this.mac = LayerCipher.hmac(key);
        try {
            this.plainDigest = MessageDigest.getInstance("SHA-256");
            this.cipherDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
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
        while (outPos >= out.length) {
            if (eof) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, out.length - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    private void fill() throws IOException {
        int n = plaintext.read(inBuf);
        byte[] ct;
        if (n < 0) {
            eof = true;
            try {
                ct = cipher.doFinal();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR doFinal failed", e);
            }
        } else {
            plainDigest.update(inBuf, 0, n);
            ct = cipher.update(inBuf, 0, n);
        }
        if (ct == null) {
            ct = new byte[0];
        }
        mac.update(ct);
        cipherDigest.update(ct);
        size += ct.length;
        out = ct;
        outPos = 0;
        if (eof) {
            finish();
        }
    }

    private void finish() {
        HexFormat hex = HexFormat.of();
        try {
            PrivateOptions priv = new PrivateOptions(key, "sha256:" + hex.formatHex(plainDigest.digest()), nonce);
            PublicOptions pub = new PublicOptions(PublicOptions.AES_256_CTR_HMAC_SHA256, mac.doFinal());
            result = new LayerEncryptionResult(priv, pub, "sha256:" + hex.formatHex(cipherDigest.digest()), size);
        } catch (MalformedAnnotationException e) {
            throw new IllegalStateException("unreachable: sizes are fixed", e);
        }
    }

    /**
     * @return true once the whole plaintext has been read and {@link #result()} is available
     */
    public boolean isComplete() {
        return result != null;
    }

    /**
     * @return the private and public options, ciphertext digest and size
     * @throws IllegalStateException when the stream has not yet been read to the end
     */
    public LayerEncryptionResult result() {
        if (result == null) {
            throw new IllegalStateException("read the ciphertext stream to the end before asking for the result");
        }
        return result;
    }

    /** Closes the plaintext stream. */
    @Override
    public void close() throws IOException {
        plaintext.close();
    }
}
