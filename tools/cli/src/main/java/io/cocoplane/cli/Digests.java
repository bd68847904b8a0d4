package io.cocoplane.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 digests in OCI form ({@code sha256:<64 lowercase hex>}) and a stream that checks one while it is read. */
final class Digests {

    static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    static String of(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(data));
    }

    /** @throws CliException ({@link ExitCodes#VERIFICATION_FAILED}) when the digest is not sha256:<hex> */
    static String require(String digest, String what) {
        if (digest == null || !SHA256.matcher(digest).matches()) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, what + ": unsupported or malformed digest "
                    + digest + " (sha256 only)");
        }
        return digest;
    }

    /** Thrown by {@link Verifying} at end of stream when the content does not match its descriptor. */
    static final class MismatchException extends IOException {
        private static final long serialVersionUID = 1L;

        MismatchException(String message) {
            super(message);
        }
    }

    /**
     * Passes bytes through while hashing them; at end of stream compares digest and length with the expected ones
     * and throws {@link MismatchException} instead of reporting EOF when they differ. Reading more than the
     * expected size fails at once.
     */
    static final class Verifying extends FilterInputStream {
        private final MessageDigest md = sha256();
        private final String expected;
        private final long expectedSize;
        private long count;
        private boolean checked;

        Verifying(InputStream in, String expected, long expectedSize) {
            super(in);
            this.expected = expected;
            this.expectedSize = expectedSize;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                check();
                return -1;
            }
            md.update(b, off, n);
            count += n;
            if (expectedSize >= 0 && count > expectedSize) {
                throw new MismatchException("blob " + expected + " is longer than its descriptor size " + expectedSize);
            }
            return n;
        }

        private void check() throws MismatchException {
            if (checked) {
                return;
            }
            checked = true;
            String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
            if (expectedSize >= 0 && count != expectedSize) {
                throw new MismatchException("blob " + expected + " has " + count + " bytes, descriptor says "
                        + expectedSize);
            }
            if (!actual.equals(expected)) {
                throw new MismatchException("blob content digest " + actual + " differs from " + expected);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip not supported on a verifying stream");
        }
    }
}
