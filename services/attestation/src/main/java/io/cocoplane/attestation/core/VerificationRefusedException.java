package io.cocoplane.attestation.core;

import io.cocoplane.teeevidence.EvidenceRefusedException;

/**
 * The evidence was not accepted. {@link #check()} names the failed check: the {@link EvidenceRefusedException#check()}
 * of {@code libs/tee-evidence} ({@code report_data}, {@code init_data}, {@code report_signature}, {@code cert_chain},
 * {@code malformed}, …) or {@value #TEE_NOT_ENABLED} when no verifier is configured for the TEE (the {@code sample}
 * TEE unless enabled).
 */
public class VerificationRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Check name when the TEE has no configured verifier. */
    public static final String TEE_NOT_ENABLED = "tee_not_enabled";

    private final String check;

    /**
     * @param check   the failed check
     * @param message detail
     * @param cause   optional cause
     */
    public VerificationRefusedException(String check, String message, Throwable cause) {
        super(message, cause);
        this.check = check;
    }

    /** @return the failed check's identifier */
    public String check() {
        return check;
    }
}
