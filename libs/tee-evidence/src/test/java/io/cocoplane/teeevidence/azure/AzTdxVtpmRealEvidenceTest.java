package io.cocoplane.teeevidence.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.tdx.TdxVerifier;
import io.cocoplane.testkit.SharedTestData;

/** Real Azure TDX vTPM evidence from shared/testdata (offline part: no PCS collateral). */
class AzTdxVtpmRealEvidenceTest {

    static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);
    static final AzTdxVtpmVerifier V = new AzTdxVtpmVerifier(TdxVerifier.builder()
            .clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).build());

    static byte[] read(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/az-tdx-vtpm/" + rel));
    }

    @Test
    void v0AndV1VerifyOfflineWithTheChallengeNonce() throws Exception {
        for (String f : new String[] {"evidence-v0.json", "evidence-v1.json"}) {
            Claims c = V.verify(read(f), ExpectedValues.reportData(CHALLENGE));
            assertThat(c.reportData()).as(f).isEqualTo("6368616c6c656e6765");
            assertThat(((Map<?, ?>) c.get("tpm")).get("pcr00")).as(f)
                    .isEqualTo("782b20b10f55cc46e2142cc2145d548698073e5beb82752c8d7f9279f0d8a273");
            assertThat(c.get("tcb_status")).as(f).isEqualTo("Unknown");
        }
    }

    @Test
    void wrongNonceAndLongInitDigestAreRefused() throws Exception {
        byte[] v1 = read("evidence-v1.json");
        assertThatThrownBy(() -> V.verify(v1, ExpectedValues.reportData(new byte[9])))
                .isInstanceOf(ReportDataMismatch.class);
        assertThatThrownBy(() -> V.verify(v1,
                ExpectedValues.reportData(CHALLENGE).withInitDataDigest(new byte[64])))
                .isInstanceOf(InitDataMismatch.class);
    }
}
