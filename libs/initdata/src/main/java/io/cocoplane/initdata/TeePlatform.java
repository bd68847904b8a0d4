package io.cocoplane.initdata;

import java.util.Arrays;

/**
 * The TEE field an init-data digest is bound into, and its fixed length.
 *
 * <p>The digest is adjusted to the field length by truncating (keep the first bytes) when longer and
 * zero-padding at the end when shorter (kata {@code src/libs/kata-types/src/initdata.rs} {@code adjust_digest};
 * kata {@code src/runtime/pkg/govmm/qemu/qemu.go} {@code adjustProperLength}; trustee {@code kbs/docs/initdata.md}).
 * So sha384/sha512 are truncated to 32 bytes on SNP, sha256 is zero-padded to 48 bytes on TDX.
 *
 * <p>vTPM platforms (Azure SNP/TDX vTPM, generic TPM) have no fixed field: the Attestation Agent extends
 * the digest into PCR 8 at start-up, so there is no placement to compute here; the expected PCR value
 * depends on the PCR bank and every earlier extension and is not modelled by this enum.
 */
public enum TeePlatform {
    /** AMD SEV-SNP: {@code HOST_DATA} in the attestation report, 32 bytes (QEMU {@code sev-snp-guest host-data=}). */
    SNP("HOST_DATA", 32),
    /** Intel TDX: {@code MRCONFIGID} in the TD report / quote, 48 bytes (QEMU {@code tdx-guest mrconfigid=}). */
    TDX("MRCONFIGID", 48),
    /** Arm CCA: Realm personalization value, 64 bytes (QEMU {@code personalization-value=}). */
    CCA("personalization value", 64);

    private final String fieldName;
    private final int fieldLength;

    TeePlatform(String fieldName, int fieldLength) {
        this.fieldName = fieldName;
        this.fieldLength = fieldLength;
    }

    /** @return the name of the evidence field the digest lands in */
    public String fieldName() {
        return fieldName;
    }

    /** @return the field length in bytes */
    public int fieldLength() {
        return fieldLength;
    }

    /**
     * Fits a digest into this platform's field: bytes {@code [0, min(len, fieldLength))} of the digest,
     * followed by zero bytes up to {@link #fieldLength()}.
     *
     * @param digest any digest (typically 32, 48 or 64 bytes)
     * @return a fresh array of exactly {@link #fieldLength()} bytes
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public byte[] fit(byte[] digest) {
        InitDataException.requireArgument(digest, "digest");
        return Arrays.copyOf(digest, fieldLength);
    }
}
