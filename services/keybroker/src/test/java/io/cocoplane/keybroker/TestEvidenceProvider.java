package io.cocoplane.keybroker;

import java.util.Base64;

import io.cocoplane.kbsprotocol.EvidenceProvider;
import io.cocoplane.kbsprotocol.EvidenceRequest;
import io.cocoplane.kbsprotocol.Tee;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evidence the {@link StubAttestationService} understands, as a guest would produce it: {@code report_data} binds the
 * runtime-data digest (standard base64), {@code init_data} reports the init-data digest (hex), as the hardware field
 * would. The TEE is {@code snp} unless told otherwise.
 */
final class TestEvidenceProvider implements EvidenceProvider {

    private final Tee tee;
    private final String initDataHex;
    volatile boolean corruptReportData;

    TestEvidenceProvider(Tee tee, String initDataHex) {
        this.tee = tee;
        this.initDataHex = initDataHex;
    }

    @Override
    public Tee tee() {
        return tee;
    }

    @Override
    public JsonNode primaryEvidence(EvidenceRequest request) {
        byte[] d = request.runtimeDataDigest();
        if (corruptReportData) {
            d[0] ^= 1;
        }
        ObjectNode o = JsonMapper.builder().build().createObjectNode();
        o.put("svn", "1");
        o.put("report_data", Base64.getEncoder().encodeToString(d));
        if (initDataHex != null) {
            o.put("init_data", initDataHex);
        }
        return o;
    }
}
