package io.cocoplane.orchestrator.domain;

import java.util.Locale;

/**
 * Compares the init-data digest the orchestrator computed (full hash, lowercase hex) with one reported by another
 * service, which may be the value of the TEE field instead: truncated (SNP HOST_DATA, 32 bytes) or zero-padded
 * (TDX MRCONFIGID, 48 bytes) ({@code kata-orchestration.md} §2.2).
 */
public final class InitDataDigests {

    private InitDataDigests() {
    }

    /**
     * @param ours     the full digest in hex
     * @param reported a reported digest in hex (any case)
     * @return whether {@code reported} equals {@code ours}, or is {@code ours} truncated to at least 32 bytes, or
     *         {@code ours} followed only by zero bytes
     */
    public static boolean matches(String ours, String reported) {
        if (ours == null || reported == null) {
            return false;
        }
        String a = ours.toLowerCase(Locale.ROOT);
        String b = reported.toLowerCase(Locale.ROOT);
        if (a.equals(b)) {
            return true;
        }
        if (b.length() > a.length()) {
            return b.startsWith(a) && b.substring(a.length()).chars().allMatch(c -> c == '0');
        }
        return b.length() >= 64 && a.startsWith(b);
    }
}
