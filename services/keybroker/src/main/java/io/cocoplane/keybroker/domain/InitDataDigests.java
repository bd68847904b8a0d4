package io.cocoplane.keybroker.domain;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Compares the init-data field a TEE reports (EAR claim {@code init_data}, lowercase hex of the hardware field) with the
 * init-data digest a workload was scheduled with (note §4.2): the hardware field holds the digest zero-padded or
 * truncated to its size — SNP HOST_DATA 32 bytes (sha384 truncated), TDX MRCONFIGID 48 bytes (sha256 padded), sample
 * the digest itself. A claim matches when it equals the digest, or the digest followed by zero bytes, or the digest's
 * first bytes when the claim is at least 32 bytes long (never a shorter prefix).
 */
public final class InitDataDigests {

    /** Shortest claim accepted as a truncated digest: 32 bytes (SNP HOST_DATA). */
    public static final int MIN_TRUNCATED_BYTES = 32;
    /** Longest hex accepted (TEE personalization fields are at most 256 bytes). */
    public static final int MAX_HEX_CHARS = 512;

    private static final Pattern HEX = Pattern.compile("(?:[0-9a-f]{2})+");

    private InitDataDigests() {
    }

    /**
     * @param hex candidate
     * @return the canonical lowercase form, or null when not even-length hex of at most {@value #MAX_HEX_CHARS} chars
     */
    public static String normalize(String hex) {
        if (hex == null || hex.length() > MAX_HEX_CHARS) {
            return null;
        }
        String lower = hex.toLowerCase(Locale.ROOT);
        return HEX.matcher(lower).matches() ? lower : null;
    }

    /**
     * @param claimHex   the token's init-data claim
     * @param bindingHex the scheduled workload's digest
     * @return whether the claim binds that digest (see the class comment)
     */
    public static boolean matches(String claimHex, String bindingHex) {
        String c = normalize(claimHex);
        String d = normalize(bindingHex);
        if (c == null || d == null) {
            return false;
        }
        byte[] claim = HexFormat.of().parseHex(c);
        byte[] digest = HexFormat.of().parseHex(d);
        if (claim.length >= digest.length) {
            for (int i = 0; i < claim.length; i++) {
                if (claim[i] != (i < digest.length ? digest[i] : 0)) {
                    return false;
                }
            }
            return true;
        }
        if (claim.length < MIN_TRUNCATED_BYTES) {
            return false;
        }
        for (int i = 0; i < claim.length; i++) {
            if (claim[i] != digest[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param hex a digest or claim
     * @return the first 32 bytes as lowercase hex (the lookup key), or null when not hex
     */
    public static String lookupKey(String hex) {
        String n = normalize(hex);
        if (n == null) {
            return null;
        }
        return n.length() > 2 * MIN_TRUNCATED_BYTES ? n.substring(0, 2 * MIN_TRUNCATED_BYTES) : n;
    }
}
