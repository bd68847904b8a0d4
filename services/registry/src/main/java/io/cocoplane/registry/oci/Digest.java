package io.cocoplane.registry.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:encoded} (image-spec {@code descriptor.md}) restricted to the algorithms this
 * registry can verify: {@code sha256} (64 lower-case hex digits) and {@code sha512} (128).
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex       the lower-case hex encoding
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern GENERIC = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    /**
     * Parses a digest string.
     *
     * @param s the digest, at most 200 characters
     * @return the digest
     * @throws RegistryException DIGEST_INVALID (400) when malformed or of an unsupported algorithm
     */
    public static Digest parse(String s) {
        if (s == null || s.length() > 200 || !GENERIC.matcher(s).matches()) {
            throw new RegistryException(OciError.DIGEST_INVALID, "invalid digest");
        }
        int colon = s.indexOf(':');
        String alg = s.substring(0, colon);
        String hex = s.substring(colon + 1);
        int want = switch (alg) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new RegistryException(OciError.DIGEST_INVALID, "unsupported digest algorithm");
        };
        if (hex.length() != want || !HEX.matcher(hex).matches()) {
            throw new RegistryException(OciError.DIGEST_INVALID, "invalid " + alg + " digest");
        }
        return new Digest(alg, hex);
    }

    /** @return a SHA-256 digest of the bytes */
    public static Digest sha256(byte[] bytes) {
        MessageDigest md = newMessageDigest("sha256");
        return new Digest("sha256", HexFormat.of().formatHex(md.digest(bytes)));
    }

    /** @return a fresh {@link MessageDigest} for {@code sha256} or {@code sha512} */
    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return {@code algorithm:hex} */
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
