package io.cocoplane.contracts;

import java.util.Map;
import java.util.Objects;

/**
 * {@code attestation.completed}: An evidence verification finished, passed or failed.
 *
 * <p>CloudEvents type {@code io.cocoplane.attestation.completed.v1} on topic {@link Topics#ATTESTATION_EVENTS}; JSON Schema {@code schemas/attestation.completed.v1.json}.
 *
 * @param evidenceDigest "sha256:<hex>" of the evidence bytes as received.
 * @param tee TEE kind of the evidence: "snp", "tdx", "az-snp-vtpm", "az-tdx-vtpm" or "sample".
 * @param status EAR status: "affirming", "warning", "contraindicated" or "none".
 * @param trustVector AR4SI trust vector: claim name to value (-128..127).
 * @param measurement Launch measurement as lowercase hex, or null.
 * @param initDataDigest Verified init-data digest as lowercase hex, or null.
 * @param workloadId Workload whose init-data digest matched, or null.
 * @param tokenId "jti" of the issued EAR token, or null when none was issued.
 * @param failureReason Name of the failed check when verification failed, else null.
 */
public record AttestationCompleted(String evidenceDigest, String tee, String status, Map<String, Integer> trustVector, String measurement, String initDataDigest, String workloadId, String tokenId, String failureReason) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public AttestationCompleted {
        Objects.requireNonNull(evidenceDigest, "evidenceDigest");
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(status, "status");
        trustVector = Map.copyOf(Objects.requireNonNull(trustVector, "trustVector"));
    }

    /** @return {@link #evidenceDigest()}, the aggregate id and record key */
    @Override
    public String subject() {
        return evidenceDigest;
    }
}
