package io.cocoplane.katasim;

import java.util.Map;
import java.util.Objects;

import io.cocoplane.kbsprotocol.EvidenceProvider;
import io.cocoplane.kbsprotocol.EvidenceRequest;
import io.cocoplane.kbsprotocol.SampleEvidenceProvider;
import io.cocoplane.kbsprotocol.Tee;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated hardware: {@code sample} TEE evidence from {@link SampleEvidenceProvider} ({@code svn},
 * {@code report_data} = standard base64 of the runtime-data digest, which binds the nonce and the TEE public key),
 * completed with {@code init_data} = lowercase hex of the full init-data digest (what {@code libs/tee-evidence}
 * {@code SampleVerifier} compares with the digest of the init-data TOML sent in the Attestation message) and,
 * for {@link TamperMode#WRONG_MEASUREMENT}, a {@code launch_digest} no reference value allows.
 */
final class SampleGuestEvidence implements EvidenceProvider {

    private final SampleEvidenceProvider sample;
    private final String initDataHex;
    private final String launchDigest;

    /**
     * @param svn          the sample svn
     * @param initDataHex  lowercase hex of the init-data digest the "hardware" reports
     * @param launchDigest lowercase hex launch digest to report, or {@code null} to leave trustee's default
     */
    SampleGuestEvidence(String svn, String initDataHex, String launchDigest) {
        this.sample = new SampleEvidenceProvider(svn);
        this.initDataHex = Objects.requireNonNull(initDataHex, "initDataHex");
        this.launchDigest = launchDigest;
    }

    @Override
    public Tee tee() {
        return Tee.SAMPLE;
    }

    @Override
    public JsonNode primaryEvidence(EvidenceRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : sample.primaryEvidence(request).properties()) {
            out.set(e.getKey(), e.getValue());
        }
        out.put("init_data", initDataHex);
        if (launchDigest != null) {
            out.put("launch_digest", launchDigest);
        }
        return out;
    }
}
