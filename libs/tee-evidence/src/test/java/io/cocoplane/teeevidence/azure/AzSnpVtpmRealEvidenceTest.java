package io.cocoplane.teeevidence.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Real Azure SEV-SNP vTPM evidence from shared/testdata with the outcomes MANIFEST.md lists. */
class AzSnpVtpmRealEvidenceTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);
    static final AzSnpVtpmVerifier V = new AzSnpVtpmVerifier(SnpVerifier.builder().build());

    static byte[] read(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/az-snp-vtpm/" + rel));
    }

    static String pcr(Claims c, String name) {
        return (String) ((Map<?, ?>) c.get("tpm")).get(name);
    }

    @Test
    void v0AndV1VerifyWithTheChallengeNonce() throws Exception {
        for (String f : new String[] {"evidence-v0.json", "evidence-v1.json"}) {
            Claims c = V.verify(read(f), ExpectedValues.reportData(CHALLENGE));
            assertThat(c.reportData()).as(f).isEqualTo("6368616c6c656e6765");
            assertThat(pcr(c, "pcr00")).as(f).isEqualTo("e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced");
            assertThat(c.get("measurement")).as(f).isEqualTo(Base64.getEncoder().encodeToString(HEX.parseHex(
                    "6a063be9dd79f6371c842e480f8dc3b5c725961344e57130e88c5adf49e8f7f6c79b75a5eb77fc769959f4aeb2f9401e")));
            assertThat(c.get("reported_tcb_microcode")).as(f).isEqualTo("219");
            assertThat(c.get("reported_tcb_snp")).as(f).isEqualTo("24");
            assertThat(c.get("policy_debug_allowed")).as(f).isEqualTo("false");
        }
    }

    @Test
    void v2BindsTheUserData() throws Exception {
        byte[] rd = HEX.parseHex("982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef");
        Claims c = V.verify(read("evidence-v2.json"), ExpectedValues.reportData(rd));
        assertThat(pcr(c, "pcr00")).isEqualTo("84275b2f4312cd4fc6cbe6b152ad3c3683e513d9f1e23c34fca160c8cca7a6a7");
        assertThat(c.get("measurement")).isEqualTo(Base64.getEncoder().encodeToString(HEX.parseHex(
                "5b0ce64ad1c1f6375dbda5f760b98526ca1bcf91b8195091afc28e7b024251d68fe32e05af34048d6607678cd23283ff")));
        byte[] v2 = read("evidence-v2.json");
        assertThatThrownBy(() -> V.verify(v2, ExpectedValues.reportData(HEX.parseHex("123abc"))))
                .isInstanceOf(ReportDataMismatch.class);
    }

    @Test
    void genoaEvidenceVerifies() throws Exception {
        byte[] rd = HEX.parseHex("0218488bae25d2509232bf676f1a66a30d7372add909109b36016ef136f2938ca05475f8b46094de6b64270ea35d950f");
        Claims c = V.verify(read("evidence-genoa.json"), ExpectedValues.reportData(rd));
        assertThat(pcr(c, "pcr00")).isEqualTo("afd689d0bb1c5f36f023fbaf574135f555a28a10c1f6b938d2a25e70c7783338");
        assertThat(c.initData()).startsWith("16f09f1e").endsWith("4e97207f");
        assertThat(c.get("reported_tcb_microcode")).isEqualTo("84");
    }

    @Test
    void reportDataIsRequiredAndLongInitDigestsAreACleanRefusal() throws Exception {
        byte[] v1 = read("evidence-v1.json");
        assertThatThrownBy(() -> V.verify(v1, ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class);
        // hazard 8: a sha384 init-data digest must not crash the verifier
        assertThatThrownBy(() -> V.verify(v1,
                ExpectedValues.reportData(CHALLENGE).withInitDataDigest(new byte[48])))
                .isInstanceOf(InitDataMismatch.class).hasMessageContaining("32-byte");
    }

    /** Builds v1 evidence from the separate HCL report, TPM quote and VCEK files (same VM). */
    static byte[] assembled(byte[] hcl) throws Exception {
        JsonMapper m = JsonMapper.builder().build();
        ObjectNode ev = m.createObjectNode();
        ev.put("version", 1);
        ev.set("tpm_quote", m.readTree(read("tpm-quote-v1.json")));
        ev.put("hcl_report", Base64.getUrlEncoder().withoutPadding().encodeToString(hcl));
        ev.put("vcek", Base64.getUrlEncoder().withoutPadding().encodeToString(
                Certificates.fromPem(read("vcek.pem"), "vcek").get(0).getEncoded()));
        return m.writeValueAsBytes(ev);
    }

    @Test
    void separateHclReportQuoteAndVcekVerifyAndPcr8IsChecked() throws Exception {
        byte[] hcl = read("hcl-report.bin");
        // this HCL report carries a version-2 SNP report: trustee's Azure verifier does not check the version, the
        // default SnpVerifier (3..5) refuses it, so accept 2..5 explicitly here
        assertThatThrownBy(() -> V.verify(assembled(hcl), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("report_version");
        AzSnpVtpmVerifier V = new AzSnpVtpmVerifier(SnpVerifier.builder().acceptedVersions(2, 5).build());
        Claims c = V.verify(assembled(hcl), ExpectedValues.reportData(CHALLENGE));
        assertThat(c.get("measurement")).asString().isNotEmpty();
        assertThat(c.get("reported_tcb_microcode")).isEqualTo("115");
        assertThat(c.initData()).isEqualTo("00".repeat(32));
        byte[] digest = HEX.parseHex("8505e4e25e50a27c5dc8147af88efbece627fbea55291911eff832d9ee127781");
        assertThatThrownBy(() -> V.verify(assembled(hcl), ExpectedValues.reportData(CHALLENGE)
                .withInitDataDigest(digest))).isInstanceOf(InitDataMismatch.class).hasMessageContaining("PCR8");
        for (int off : new int[] {0x1A6, 0x6E0}) {
            byte[] t = hcl.clone();
            t[off]++;
            assertThatThrownBy(() -> V.verify(assembled(t), ExpectedValues.reportData(CHALLENGE)))
                    .as("offset 0x%x", off).isInstanceOf(EvidenceRefusedException.class);
        }
        byte[] t = hcl.clone();
        t[0x1A6]++;
        assertThatThrownBy(() -> V.verify(assembled(t), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class);
    }
}
