package io.cocoplane.teeevidence.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.snp.SnpFixtures;
import io.cocoplane.teeevidence.snp.SnpGeneration;
import io.cocoplane.teeevidence.snp.SnpVerifier;

/** az-snp-vtpm against synthetic HCL reports and TPM quotes built here (always runs). */
class AzSnpVtpmVerifierTest {

    static final SnpFixtures PKI = new SnpFixtures(SnpGeneration.GENOA);
    static final HexFormat HEX = HexFormat.of();
    static final byte[] NONCE = SnpFixtures.filled(48, 0x6e);

    final AzSnpVtpmVerifier verifier = new AzSnpVtpmVerifier(SnpVerifier.builder().trustAnchors(PKI.anchors())
            .clock(Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC)).build());
    final SnpFixtures.Report spec = new SnpFixtures.Report();
    final SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);
    final AzureFixtures az = new AzureFixtures(spec, vcek);
    final byte[][] pcrs = az.pcrs;

    String evidence(byte[] nonceInQuote, String userData, boolean tamperVarData) throws Exception {
        return az.evidence(nonceInQuote, userData, tamperVarData);
    }

    static byte[] sha256(byte[] b) throws Exception {
        return AzureFixtures.sha256(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    String userData() {
        return AzureFixtures.userData(NONCE);
    }

    @Test
    void syntheticEvidenceVerifiesWithTrusteesAzureClaimEncoding() throws Exception {
        byte[] init = SnpFixtures.filled(32, 0x1d);
        byte[] ext = new byte[64];
        System.arraycopy(init, 0, ext, 32, 32);
        pcrs[8] = sha256(ext);
        Claims c = verifier.verify(utf8(evidence(NONCE, userData(), false)),
                ExpectedValues.reportData(NONCE).withInitDataDigest(init));
        assertThat(c.reportData()).isEqualTo("6e".repeat(48));
        assertThat(c.initData()).isEqualTo(HEX.formatHex(pcrs[8]));
        assertThat(c.get("measurement")).isEqualTo(Base64.getEncoder().encodeToString(SnpFixtures.filled(48, 0x22)));
        assertThat(c.get("reported_tcb_snp")).isEqualTo("23");
        assertThat(c.get("platform_smt_enabled")).isEqualTo("true");
        assertThat(((Map<?, ?>) c.get("tpm")).get("pcr23")).isEqualTo("17".repeat(32));
    }

    @Test
    void eachBindingIsChecked() throws Exception {
        assertThatThrownBy(() -> verifier.verify(utf8(evidence(new byte[48], userData(), false)),
                ExpectedValues.reportData(NONCE))).isInstanceOf(ReportDataMismatch.class);
        assertThatThrownBy(() -> verifier.verify(utf8(evidence(NONCE, "00".repeat(64), false)),
                ExpectedValues.reportData(NONCE))).isInstanceOf(ReportDataMismatch.class)
                .hasMessageContaining("user-data");
        assertThatThrownBy(() -> verifier.verify(utf8(evidence(NONCE, userData(), true)),
                ExpectedValues.reportData(NONCE))).isInstanceOf(SignatureInvalid.class);
        assertThatThrownBy(() -> verifier.verify(utf8(evidence(NONCE, userData(), false)),
                ExpectedValues.reportData(NONCE).withInitDataDigest(new byte[32])))
                .isInstanceOf(InitDataMismatch.class);
        assertThatThrownBy(() -> verifier.verify(utf8(evidence(NONCE, userData(), false)),
                ExpectedValues.reportData(NONCE).withInitDataDigest(new byte[48])))
                .isInstanceOf(InitDataMismatch.class);
        String ok = evidence(NONCE, userData(), false);
        String forgedPcr = ok.replaceFirst("\"pcrs\":\\[\"00", "\"pcrs\":[\"01");
        assertThatThrownBy(() -> verifier.verify(utf8(forgedPcr), ExpectedValues.reportData(NONCE)))
                .isInstanceOf(SignatureInvalid.class).hasMessageContaining("tpm_pcr_digest");
    }

    @Test
    void malformedAzureEvidence() {
        for (String bad : new String[] {"{}", "{\"version\":1,\"tpm_quote\":{\"message\":\"zz\",\"signature\":\"\","
                + "\"pcrs\":[]}}", "{\"version\":9,\"tpm_quote\":{}}"}) {
            assertThatThrownBy(() -> verifier.verify(utf8(bad), ExpectedValues.reportData(NONCE))).as(bad)
                    .isInstanceOf(Malformed.class);
        }
        assertThatThrownBy(() -> TpmQuote.parse(new byte[3], new byte[0], java.util.Collections.nCopies(24, new byte[32])))
                .isInstanceOf(Malformed.class);
        assertThatThrownBy(() -> HclReport.parse(new byte[10])).isInstanceOf(Malformed.class);
    }
}
