package io.cocoplane.teeevidence.snp;

import java.util.Optional;

/**
 * AMD EPYC generations that issue SEV-SNP reports, with the KDS product name and the VCEK hwID length
 * ({@code kbs-attestation.md} §6.1, §6.3, §6.4 step 3).
 */
public enum SnpGeneration {
    /** EPYC 7003 (family 0x19, models 0x00–0x0F). */
    MILAN("Milan", 64),
    /** EPYC 9004/8004 (family 0x19, models 0x10–0x1F and 0xA0–0xAF). */
    GENOA("Genoa", 64),
    /** EPYC 9005 (family 0x1A, models 0x00–0x11); TCB_VERSION carries an FMC SPL and the hwID is 8 bytes. */
    TURIN("Turin", 8);

    private final String productName;
    private final int hwIdLength;

    SnpGeneration(String productName, int hwIdLength) {
        this.productName = productName;
        this.hwIdLength = hwIdLength;
    }

    /**
     * @return the KDS product name used in URLs and certificate CNs ({@code ARK-<name>}), e.g. {@code "Genoa"}
     */
    public String productName() {
        return productName;
    }

    /**
     * @return the number of leading {@code chip_id} bytes that form the VCEK hwID (64, or 8 on Turin)
     */
    public int hwIdLength() {
        return hwIdLength;
    }

    /**
     * Trustee's CPUID mapping ({@code kbs-attestation.md} §6.4 step 3).
     *
     * @param family {@code cpuid_fam_id} (report offset 0x188)
     * @param model {@code cpuid_mod_id} (report offset 0x189)
     * @return the generation, or empty for any other family/model
     */
    public static Optional<SnpGeneration> fromCpuid(int family, int model) {
        if (family == 0x19) {
            if (model >= 0x00 && model <= 0x0F) {
                return Optional.of(MILAN);
            }
            if ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF)) {
                return Optional.of(GENOA);
            }
        } else if (family == 0x1A && model >= 0x00 && model <= 0x11) {
            return Optional.of(TURIN);
        }
        return Optional.empty();
    }
}
