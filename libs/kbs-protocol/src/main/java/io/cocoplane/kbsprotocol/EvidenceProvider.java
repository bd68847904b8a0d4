package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;

/**
 * Source of hardware evidence for the {@link KbsClient} (the attester of guest-components). The client names
 * {@link #tee()} in its {@link Request}, then asks {@link #primaryEvidence(EvidenceRequest)} for evidence that binds the
 * runtime-data digest (note §4.1 step 5: SNP/TDX report data = digest ‖ zero padding to 64 bytes; sample TEE =
 * standard base64 of the digest). Additional (device) evidence is not collected by this client; it always sends
 * {@code additional_evidence = ""}.
 */
public interface EvidenceProvider {

    /**
     * @return the TEE type of the evidence this provider returns
     */
    Tee tee();

    /**
     * Produces the primary evidence JSON (note §2.3 "Primary evidence shapes").
     *
     * @param request nonce, hash algorithm and the digest to bind
     * @return the TEE-specific evidence JSON, sent as {@code tee-evidence.primary_evidence}
     * @throws KbsProtocolException (or any runtime exception, which the client wraps in a {@link KbsClientException})
     *                              when evidence cannot be produced
     */
    JsonNode primaryEvidence(EvidenceRequest request);
}
