package io.cocoplane.teeevidence;

/**
 * TEE types handled by this library, with the kbs-types serde name used on the wire (RCAR {@code Request.tee}) and as
 * the claim key in trustee's token ({@code kbs-attestation.md} §2.1, §5.1).
 */
public enum Tee {
    /** AMD SEV-SNP ({@code "snp"}). */
    SNP("snp"),
    /** Intel TDX ({@code "tdx"}). */
    TDX("tdx"),
    /** Azure SEV-SNP CVM with vTPM ({@code "az-snp-vtpm"}). */
    AZ_SNP_VTPM("az-snp-vtpm"),
    /** Azure TDX CVM with vTPM ({@code "az-tdx-vtpm"}). */
    AZ_TDX_VTPM("az-tdx-vtpm"),
    /** The development-only sample TEE ({@code "sample"}); carries no hardware guarantee. */
    SAMPLE("sample");

    private final String wireName;

    Tee(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @return the kbs-types serde name, e.g. {@code "snp"}
     */
    public String wireName() {
        return wireName;
    }
}
