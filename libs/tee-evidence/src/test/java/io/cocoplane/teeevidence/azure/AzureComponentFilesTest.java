package io.cocoplane.teeevidence.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.snp.AmdLeafCertificate;
import io.cocoplane.teeevidence.snp.SnpGeneration;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.TdxVerifier;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The corpus files that are parts of Azure vTPM evidence rather than whole evidence (MANIFEST.md, az-snp-vtpm and
 * az-tdx-vtpm tables), and the two TDX files that are not remote evidence, each with the outcome MANIFEST.md states:
 * the TD HCL report, TPM quote and TD quote assemble into evidence that verifies with the nonce "challenge", and each
 * upstream failure variant (TPM signature, PCR value, nonce, HCL variable data, AK) is refused; the Genoa VCEK file is
 * the VCEK of {@code evidence-genoa.json} and chains to AMD's Genoa ARK.
 */
class AzureComponentFilesTest {

    static final HexFormat HEX = HexFormat.of();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    static byte[] read(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/" + rel));
    }

    static String b64u(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** v1 az-tdx-vtpm evidence from the separate files, with an optional change to the TPM quote JSON. */
    static byte[] tdxEvidence(byte[] hcl, Consumer<ObjectNode> quoteChange) throws Exception {
        ObjectNode quote = (ObjectNode) JSON.readTree(read("az-tdx-vtpm/tpm-quote-v1.json"));
        quoteChange.accept(quote);
        ObjectNode ev = JSON.createObjectNode();
        ev.put("version", 1);
        ev.set("tpm_quote", quote);
        ev.put("hcl_report", b64u(hcl));
        ev.put("td_quote", b64u(read("az-tdx-vtpm/td-quote.bin")));
        return JSON.writeValueAsBytes(ev);
    }

    static String flipFirstHexDigit(String hex) {
        return (hex.charAt(0) == '0' ? '1' : '0') + hex.substring(1);
    }

    @Test
    void tdxHclReportTpmQuoteAndTdQuoteFilesAssembleAndEachTamperIsRefused() throws Exception {
        AzTdxVtpmVerifier v = new AzTdxVtpmVerifier(TdxVerifier.builder().clock(CLOCK).build());
        byte[] hcl = read("az-tdx-vtpm/hcl-report.bin");
        Claims c = v.verify(tdxEvidence(hcl, q -> { }), ExpectedValues.reportData(CHALLENGE));
        assertThat(c.reportData()).isEqualTo("6368616c6c656e6765");
        // test_verify_hcl_var_data: SHA-256(var-data) is the TD quote's report_data[0:32]
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) c.get("quote")).get("body");
        assertThat((String) body.get("report_data")).startsWith("9734504f");

        byte[] tamperedHcl = hcl.clone();
        tamperedHcl[0x880]++;
        assertThatThrownBy(() -> v.verify(tdxEvidence(tamperedHcl, q -> { }), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class).hasMessageContaining("hcl_var_data");
        assertThatThrownBy(() -> v.verify(tdxEvidence(hcl, q -> q.put("signature",
                flipFirstHexDigit(q.get("signature").asString()))), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class);
        assertThatThrownBy(() -> v.verify(tdxEvidence(hcl, q -> ((ArrayNode) q.get("pcrs")).set(0,
                flipFirstHexDigit(q.get("pcrs").get(0).asString()))), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class);
        assertThatThrownBy(() -> v.verify(tdxEvidence(hcl, q -> { }),
                ExpectedValues.reportData("egnellahc".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ReportDataMismatch.class);
    }

    @Test
    void snpTpmQuoteFailureVariantsAndABrokenAkAreRefused() throws Exception {
        AzSnpVtpmVerifier v = new AzSnpVtpmVerifier(SnpVerifier.builder().acceptedVersions(2, 5).clock(CLOCK).build());
        byte[] hcl = read("az-snp-vtpm/hcl-report.bin");
        assertThat(v.verify(AzSnpVtpmRealEvidenceTest.assembled(hcl), ExpectedValues.reportData(CHALLENGE))
                .reportData()).isEqualTo("6368616c6c656e6765");
        ObjectNode ev = (ObjectNode) JSON.readTree(AzSnpVtpmRealEvidenceTest.assembled(hcl));
        ObjectNode q = (ObjectNode) ev.get("tpm_quote");
        q.put("signature", flipFirstHexDigit(q.get("signature").asString()));
        assertThatThrownBy(() -> v.verify(JSON.writeValueAsBytes(ev), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class);
        ObjectNode ev2 = (ObjectNode) JSON.readTree(AzSnpVtpmRealEvidenceTest.assembled(hcl));
        ArrayNode pcrs = (ArrayNode) ev2.get("tpm_quote").get("pcrs");
        pcrs.set(0, flipFirstHexDigit(pcrs.get(0).asString()));
        assertThatThrownBy(() -> v.verify(JSON.writeValueAsBytes(ev2), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(SignatureInvalid.class);
        assertThatThrownBy(() -> v.verify(AzSnpVtpmRealEvidenceTest.assembled(hcl),
                ExpectedValues.reportData("egnellahc".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ReportDataMismatch.class);
        // byte 0x540 := 0 puts a NUL into the variable data JSON: no AK can be read ("Failed to get AKpub" upstream)
        byte[] noAk = hcl.clone();
        noAk[0x540] = 0;
        assertThatThrownBy(() -> v.verify(AzSnpVtpmRealEvidenceTest.assembled(noAk), ExpectedValues.reportData(CHALLENGE)))
                .isInstanceOf(Malformed.class);
    }

    @Test
    void genoaVcekFileIsTheVcekOfTheGenoaEvidenceAndChainsToAmd() throws Exception {
        var file = Certificates.fromPem(read("az-snp-vtpm/vcek-genoa.pem"), "vcek-genoa.pem").get(0);
        String embedded = JSON.readTree(read("az-snp-vtpm/evidence-genoa.json")).get("vcek").asString();
        assertThat(Certificates.fromPem(embedded.getBytes(StandardCharsets.US_ASCII), "vcek").get(0)).isEqualTo(file);
        AmdLeafCertificate leaf = SnpVerifier.builder().clock(CLOCK).build().verifyLeafChain(file, SnpGeneration.GENOA);
        assertThat(leaf.type()).isEqualTo(AmdLeafCertificate.LeafType.VCEK);
        assertThat(leaf.tcb().microcode()).isEqualTo(84); // reported_tcb 10/0/23/84 (MANIFEST)
        assertThatThrownBy(() -> SnpVerifier.builder().clock(CLOCK).build().verifyLeafChain(file, SnpGeneration.MILAN))
                .isInstanceOf(EvidenceRefusedException.class);
    }

    @Test
    void aTdReportIsNotRemoteEvidence() throws Exception {
        // gc-tdx_report_1.bin is a 1024-byte TDREPORT (MAC'd, verifiable only on its CPU): refused as malformed
        byte[] report = read("tdx/gc-tdx_report_1.bin");
        assertThat(report).hasSize(1024);
        assertThatThrownBy(() -> TdxVerifier.builder().clock(CLOCK).build().verify(report, ExpectedValues.none()))
                .isInstanceOf(Malformed.class);
    }

    @Test
    void theLegacyAaelReplaysToTheRtmr3OurVerifierReports() throws Exception {
        // obsolete text AA event log (trustee deleted its support): state = SHA-384(state || SHA-384(line)), from 0^48
        byte[] state = new byte[48];
        MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
        for (String line : new String(read("tdx/legacy-aael/AAEL_data_1"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            byte[] h = sha384.digest(line.getBytes(StandardCharsets.UTF_8));
            sha384.update(state);
            state = sha384.digest(h);
        }
        Claims c = TdxVerifier.builder().clock(CLOCK).build().verify(read("tdx/legacy-aael/AAEL_quote_tdx"),
                ExpectedValues.none());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) c.get("quote")).get("body");
        assertThat(body.get("rtmr_3")).isEqualTo(HEX.formatHex(state));
    }
}
