package io.cocoplane.kbsprotocol;

/**
 * What the {@link KbsClient} asks an {@link EvidenceProvider} for (note §4.1): evidence whose report-data field binds
 * {@code runtimeDataDigest} = {@code hashAlgorithm(canonicalRuntimeData)}.
 *
 * @param nonce                the challenge nonce, verbatim
 * @param hashAlgorithm        the runtime-data hash selected by the challenge (SHA-384 by default)
 * @param runtimeDataDigest    the digest to bind ({@link HashAlgorithm#digestLength()} bytes); a copy is kept and returned
 * @param canonicalRuntimeData the RFC 8785 JSON text that was hashed
 */
public record EvidenceRequest(String nonce, HashAlgorithm hashAlgorithm, byte[] runtimeDataDigest,
                              String canonicalRuntimeData) {

    /**
     * @throws InvalidMessageException when a member is null or the digest length does not match the algorithm
     */
    public EvidenceRequest {
        if (nonce == null || hashAlgorithm == null || runtimeDataDigest == null || canonicalRuntimeData == null
                || runtimeDataDigest.length != hashAlgorithm.digestLength()) {
            throw new InvalidMessageException("evidence request: all members required, digest of the algorithm's length");
        }
        runtimeDataDigest = runtimeDataDigest.clone();
    }

    /**
     * @return a copy of the digest
     */
    @Override
    public byte[] runtimeDataDigest() {
        return runtimeDataDigest.clone();
    }
}
