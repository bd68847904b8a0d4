package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evidence for trustee's {@code sample} TEE (note §2.3): {@code {"svn":"<svn>","report_data":"<standard base64 of the
 * runtime-data digest>"}}. It proves nothing and exists for tests and development KBS setups.
 */
public final class SampleEvidenceProvider implements EvidenceProvider {

    private final String svn;

    /**
     * @param svn the security version string, e.g. {@code "1"}; 1..32 characters
     * @throws InvalidMessageException when svn is null, empty or too long
     */
    public SampleEvidenceProvider(String svn) {
        if (svn == null || svn.isEmpty() || svn.length() > 32) {
            throw new InvalidMessageException("sample evidence: svn must be 1..32 characters");
        }
        this.svn = svn;
    }

    /**
     * @return {@link Tee#SAMPLE}
     */
    @Override
    public Tee tee() {
        return Tee.SAMPLE;
    }

    /**
     * @param request the digest to bind
     * @return {@code {"svn","report_data"}}, report_data = standard padded base64 of the digest
     */
    @Override
    public JsonNode primaryEvidence(EvidenceRequest request) {
        ObjectNode o = RcarJson.newObject();
        o.put("svn", svn);
        o.put("report_data", RcarJson.encodeStandardPadded(request.runtimeDataDigest()));
        return o;
    }
}
