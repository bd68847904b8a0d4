package io.cocoplane.katasim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** OCI digests ({@code sha256:<hex>}, {@code sha512:<hex>}) over streamed bytes. */
final class Digests {

    private Digests() {
    }

    /**
     * @param digest an OCI digest naming sha256 or sha512
     * @return a fresh hash of that algorithm
     * @throws IllegalArgumentException for any other algorithm
     */
    static MessageDigest hashFor(String digest) {
        String alg;
        if (digest.startsWith("sha256:")) {
            alg = "SHA-256";
        } else if (digest.startsWith("sha512:")) {
            alg = "SHA-512";
        } else {
            throw new IllegalArgumentException("unsupported digest algorithm: " + digest);
        }
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + alg, e);
        }
    }

    /**
     * @param like a digest whose algorithm prefix to use
     * @param hash the finished hash
     * @return {@code <algorithm>:<lowercase hex>}
     */
    static String format(String like, byte[] hash) {
        return like.substring(0, like.indexOf(':') + 1) + HexFormat.of().formatHex(hash);
    }
}
