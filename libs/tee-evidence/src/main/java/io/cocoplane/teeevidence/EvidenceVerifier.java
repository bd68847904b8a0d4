package io.cocoplane.teeevidence;

/**
 * Verifies one TEE's primary evidence and turns it into trustee-compatible {@link Claims}
 * ({@code kbs-attestation.md} §6.4 for SNP, §7.2 for TDX).
 *
 * <p>Implementations are immutable and thread-safe. They fetch nothing over the network unless the caller configures
 * an online source (only SNP has one: {@code SnpVerifier.Builder#kdsClient}, AMD's KDS); endorsements otherwise come
 * from the evidence itself or from configured offline stores.
 */
public interface EvidenceVerifier {

    /**
     * @return the TEE this verifier handles
     */
    Tee tee();

    /**
     * Verifies the evidence and extracts its claims.
     *
     * @param evidence the primary evidence exactly as received (UTF-8 JSON for {@code snp}/{@code tdx}/{@code sample};
     *        SNP also accepts the raw 1184-byte report, TDX the raw quote); at most {@link #MAX_EVIDENCE_BYTES}
     * @param expected the expected report data and init-data digest
     * @return the claims of the accepted evidence
     * @throws EvidenceRefusedException a subclass naming the failed check; {@link EvidenceRefusedException.Malformed}
     *         for unparseable or oversized input
     * @throws NullPointerException when {@code evidence} or {@code expected} is null (a caller bug, not bad input)
     */
    Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException;

    /** Largest evidence accepted by any verifier, in bytes (2 MiB, trustee's default KBS request-body limit). */
    int MAX_EVIDENCE_BYTES = 2 << 20;
}
