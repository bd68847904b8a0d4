package io.cocoplane.kbsprotocol;

/**
 * The TEE types of the RCAR {@code Request.tee} member (note §2.1; serde names of kbs-types 0.18 {@code Tee}).
 * Exactly one TEE is named per Request. {@code sev} was removed in kbs-types 0.14 and is refused.
 */
public enum Tee {
    /** Azure SEV-SNP confidential VM with a vTPM ({@code az-snp-vtpm}). */
    AZ_SNP_VTPM("az-snp-vtpm"),
    /** Azure TDX confidential VM with a vTPM ({@code az-tdx-vtpm}). */
    AZ_TDX_VTPM("az-tdx-vtpm"),
    /** NVIDIA GPU ({@code nvidia}). */
    NVIDIA("nvidia"),
    /** NVIDIA DPU ({@code nvidia-dpu}, kbs-types 0.18). */
    NVIDIA_DPU("nvidia-dpu"),
    /** Intel SGX ({@code sgx}). */
    SGX("sgx"),
    /** AMD SEV-SNP ({@code snp}). */
    SNP("snp"),
    /** Intel TDX ({@code tdx}). */
    TDX("tdx"),
    /** Arm CCA ({@code cca}). */
    CCA("cca"),
    /** Hygon CSV ({@code csv}). */
    CSV("csv"),
    /** IBM Secure Execution ({@code se}); the only TEE whose runtime data is hashed with SHA-512 (note §4.1). */
    SE("se"),
    /** Hygon DCU ({@code hygondcu}). */
    HYGON_DCU("hygondcu"),
    /** Plain TPM ({@code tpm}). */
    TPM("tpm"),
    /** The sample TEE used for tests ({@code sample}). */
    SAMPLE("sample"),
    /** The sample device used for tests ({@code sampledevice}). */
    SAMPLE_DEVICE("sampledevice");

    private final String wireName;

    Tee(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @return the JSON string of this TEE on the wire, e.g. {@code "az-snp-vtpm"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * The hash the KBS built-in/gRPC backends use for this TEE's runtime data (note §4.1 step 4): SHA-512 for
     * {@link #SE}, SHA-384 for every other TEE.
     *
     * @return the runtime-data hash algorithm the KBS expects for this TEE
     */
    public HashAlgorithm kbsRuntimeDataHash() {
        return this == SE ? HashAlgorithm.SHA512 : HashAlgorithm.SHA384;
    }

    /**
     * Looks a TEE up by its exact (case-sensitive, as serde) wire name.
     *
     * @param wireName the JSON string, e.g. {@code "snp"}
     * @return the TEE
     * @throws InvalidMessageException when the name is null or not one of the names listed above
     */
    public static Tee fromWireName(String wireName) {
        if (wireName != null) {
            for (Tee t : values()) {
                if (t.wireName.equals(wireName)) {
                    return t;
                }
            }
        }
        throw new InvalidMessageException("unknown tee: " + RcarJson.quoteForMessage(wireName));
    }
}
