package io.cocoplane.katasim;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.kbsprotocol.EvidenceProvider;

/**
 * The simulated guest's evidence and init-data tampering for callers that play a guest themselves (the local stack's
 * end-to-end tests), so that they use exactly what the simulated node uses ({@link SampleGuestEvidence},
 * {@link GuestRun#tamperedInitData}) and no copy of either. Development only: {@code sample} evidence proves nothing.
 */
public final class SimulatedGuest {

    private SimulatedGuest() {
    }

    /**
     * @param svn         the sample {@code svn} (the simulated node's default is {@code "1"})
     * @param initDataHex lowercase hex of the init-data digest the "hardware" reports
     * @return {@code sample} TEE evidence: {@code svn}, {@code report_data} (binds nonce and TEE key), {@code init_data}
     */
    public static EvidenceProvider sampleEvidence(String svn, String initDataHex) {
        return new SampleGuestEvidence(svn, initDataHex, null);
    }

    /**
     * @param original a workload's init-data document
     * @return a still valid init-data document whose digest differs (the node's {@code WRONG_INIT_DATA} tampering)
     */
    public static InitDataDocument otherInitData(InitDataDocument original) {
        return GuestRun.tamperedInitData(original);
    }
}
