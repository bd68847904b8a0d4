package io.cocoplane.teeevidence;

import java.util.Arrays;

/**
 * What the caller expects the evidence to be bound to ({@code kbs-attestation.md} §4).
 *
 * <p>{@code reportData} is the runtime-data digest (SHA-384 of the RFC 8785 runtime-data object for RCAR, 48 bytes;
 * 1…64 bytes accepted). It is compared with the TEE's report-data field after zero-padding to the field size (SNP and
 * TDX: 64 bytes; sample: exact). {@code initDataDigest} is the init-data digest (32, 48 or 64 bytes) or {@code null}
 * when no init-data was sent; it is compared with SNP HOST_DATA (32 bytes: truncated), TDX MRCONFIGID (48 bytes:
 * padded or truncated) or the sample {@code init_data} member (exact). A {@code null} {@code reportData} disables the
 * freshness binding: trustee allows it (hazard §10.11) but callers should only do so for tests.
 *
 * @param reportData expected runtime-data digest, 1…64 bytes, or {@code null}
 * @param initDataDigest expected init-data digest, 1…64 bytes, or {@code null}
 */
public record ExpectedValues(byte[] reportData, byte[] initDataDigest) {

    /** Largest accepted digest, in bytes (SHA-512). */
    public static final int MAX_DIGEST_BYTES = 64;

    /**
     * Copies the arrays and checks their sizes.
     *
     * @throws IllegalArgumentException when a non-null array is empty or longer than {@value #MAX_DIGEST_BYTES}
     */
    public ExpectedValues {
        reportData = check("reportData", reportData);
        initDataDigest = check("initDataDigest", initDataDigest);
    }

    /**
     * @param reportData expected runtime-data digest (1…64 bytes)
     * @return expectations without init-data
     * @throws IllegalArgumentException on a bad size or null
     */
    public static ExpectedValues reportData(byte[] reportData) {
        if (reportData == null) {
            throw new IllegalArgumentException("reportData is required here");
        }
        return new ExpectedValues(reportData, null);
    }

    /**
     * @return expectations that bind nothing (tests and offline inspection only)
     */
    public static ExpectedValues none() {
        return new ExpectedValues(null, null);
    }

    /**
     * @param digest expected init-data digest (1…64 bytes)
     * @return a copy with the init-data digest set
     */
    public ExpectedValues withInitDataDigest(byte[] digest) {
        return new ExpectedValues(reportData, digest);
    }

    /** @return a copy of the expected report data, or {@code null} */
    @Override
    public byte[] reportData() {
        return reportData == null ? null : reportData.clone();
    }

    /** @return a copy of the expected init-data digest, or {@code null} */
    @Override
    public byte[] initDataDigest() {
        return initDataDigest == null ? null : initDataDigest.clone();
    }

    private static byte[] check(String name, byte[] v) {
        if (v == null) {
            return null;
        }
        if (v.length == 0 || v.length > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException(name + " must be 1.." + MAX_DIGEST_BYTES + " bytes, got " + v.length);
        }
        return v.clone();
    }

    /** Content equality of the byte arrays. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExpectedValues e && Arrays.equals(reportData, e.reportData)
                && Arrays.equals(initDataDigest, e.initDataDigest);
    }

    /** @return a hash of the byte array contents */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(reportData) + Arrays.hashCode(initDataDigest);
    }

    /** @return both values as lowercase hex */
    @Override
    public String toString() {
        java.util.HexFormat h = java.util.HexFormat.of();
        return "ExpectedValues[reportData=" + (reportData == null ? "null" : h.formatHex(reportData))
                + ", initDataDigest=" + (initDataDigest == null ? "null" : h.formatHex(initDataDigest)) + "]";
    }
}
