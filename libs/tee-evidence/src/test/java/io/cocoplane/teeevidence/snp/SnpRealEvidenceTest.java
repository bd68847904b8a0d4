package io.cocoplane.teeevidence.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.CertificateExpired;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.testkit.SharedTestData;

/** Real AMD evidence from shared/testdata, with the outcomes and values MANIFEST.md lists. */
class SnpRealEvidenceTest {

    static final HexFormat HEX = HexFormat.of();
    static final Clock DURING_VLEK_VALIDITY = Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC);

    static byte[] read(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/" + rel));
    }

    static X509Certificate der(String rel) throws Exception {
        return Certificates.fromDer(read(rel), rel);
    }

    static String sha256(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void bundledAmdAnchorsAreTheManifestCertificates() throws Exception {
        // fingerprints quoted from MANIFEST.md (amd-roots)
        Map<SnpGeneration, String[]> fp = Map.of(
                SnpGeneration.MILAN, new String[] {
                    "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
                    "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
                    "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5"},
                SnpGeneration.GENOA, new String[] {
                    "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
                    "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
                    "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372"},
                SnpGeneration.TURIN, new String[] {
                    "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
                    "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
                    "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c"});
        AmdTrustAnchors builtIn = AmdTrustAnchors.builtIn();
        for (var e : fp.entrySet()) {
            var a = builtIn.forGeneration(e.getKey()).orElseThrow();
            assertThat(sha256(a.ark().getEncoded())).isEqualTo(e.getValue()[0]);
            assertThat(sha256(a.ask().getEncoded())).isEqualTo(e.getValue()[1]);
            assertThat(sha256(a.asvk().getEncoded())).isEqualTo(e.getValue()[2]);
            List<X509Certificate> shared = Certificates.fromPem(read("amd-roots/"
                    + e.getKey().productName().toLowerCase() + "_ask_ark_asvk.pem"), "pem");
            assertThat(shared.get(1)).isEqualTo(a.ark());
        }
    }

    @Test
    void genoaE2eEvidenceVerifiesWithTheManifestClaims() throws Exception {
        byte[] json = read("snp/e2e-evidence-genoa.json");
        Claims c = SnpVerifier.builder().build().verify(json, ExpectedValues.none());
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("policy_abi_major", 0L);
        expected.put("policy_abi_minor", 0L);
        expected.put("policy_smt_allowed", true);
        expected.put("policy_migrate_ma", false);
        expected.put("policy_debug_allowed", false);
        expected.put("policy_single_socket", false);
        expected.put("reported_tcb_bootloader", 10L);
        expected.put("reported_tcb_tee", 0L);
        expected.put("reported_tcb_snp", 23L);
        expected.put("reported_tcb_microcode", 25L);
        expected.put("platform_tsme_enabled", false);
        expected.put("platform_smt_enabled", true);
        expected.put("measurement", "6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e");
        expected.put("chip_id", "371c55d6d15cb50f16dc31d39a24e300caaabff4431e841111429b73ec45ad67ea6e687ffae7bf84b54a5d0e6d79b3ef6ff0bd8b4cff94c2163af5c5de8718e8");
        assertThat(c.teeClaims()).containsExactlyInAnyOrderEntriesOf(expected);
        String rd = "7e7320889600c7ac133aea7b896c51f41026002982292a7369559796999c1bf929eef3ff23c46e858f0b1982f9a92b17c51b578d958cde6b0c92978f150cf9b0";
        assertThat(c.reportData()).isEqualTo(rd);
        assertThat(c.initData()).isEqualTo("00".repeat(32));
        // binding with the right expected report data passes, with another one fails
        SnpVerifier.builder().build().verify(json, ExpectedValues.reportData(HEX.parseHex(rd)));
        assertThatThrownBy(() -> SnpVerifier.builder().build().verify(json,
                ExpectedValues.reportData(new byte[48]))).isInstanceOf(
                        io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch.class);
        assertThatThrownBy(() -> SnpVerifier.builder().build().verify(json,
                ExpectedValues.reportData(HEX.parseHex(rd)).withInitDataDigest(new byte[] {1})))
                .isInstanceOf(io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch.class);
    }

    @Test
    void genoaJsonReEncodesToTheDerivedBinary() throws Exception {
        SnpEvidence ev = SnpEvidence.parse(read("snp/e2e-evidence-genoa.json"));
        assertThat(HEX.formatHex(ev.report().toBytes())).isEqualTo(HEX.formatHex(read("snp/e2e-report-genoa.derived.bin")));
        assertThat(ev.report().generation()).contains(SnpGeneration.GENOA);
        assertThat(ev.first("VCEK").orElseThrow().der()).isEqualTo(read("snp/e2e-vcek-genoa.derived.der"));
    }

    private static SnpVerifier.Builder milanStore(Path dir, String vcekFile, byte[] report) throws Exception {
        byte[] chip = java.util.Arrays.copyOfRange(report, 0x1A0, 0x1E0);
        Path d = dir.resolve("vcek").resolve(HEX.formatHex(chip));
        Files.createDirectories(d);
        Files.write(d.resolve("vcek.der"), read(vcekFile));
        return SnpVerifier.builder().kdsStore(new OfflineKdsStore(dir));
    }

    @Test
    void trusteeTestReportIsVersion2AndRefusedByDefault(@TempDir Path dir) throws Exception {
        byte[] report = read("snp/test-report.bin");
        assertThatThrownBy(() -> milanStore(dir, "snp/test-vcek.der", report).build().verify(report,
                ExpectedValues.none())).isInstanceOf(PolicyViolation.class).hasMessageContaining("report_version");
        byte[] rd = HEX.parseHex("ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2");
        Claims c = milanStore(dir, "snp/test-vcek.der", report).acceptedVersions(2, 5).build().verify(report,
                ExpectedValues.reportData(rd));
        assertThat(c.get("measurement")).isEqualTo("a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c");
        assertThat(c.get("reported_tcb_bootloader")).isEqualTo(3L);
        assertThat(c.get("reported_tcb_snp")).isEqualTo(8L);
        assertThat(c.get("reported_tcb_microcode")).isEqualTo(115L);
        assertThat((String) c.get("chip_id")).startsWith("c38427a30d4c7af9").endsWith("e477524e");
        assertThat(SnpReport.parse(report).currentTcb().microcode()).isEqualTo(206);
        assertThat(SnpReport.parse(report).currentFirmware()).isEqualTo("1.52.4");
        byte[] tampered = report.clone();
        tampered[42]++;
        assertThatThrownBy(() -> milanStore(dir, "snp/test-vcek.der", report).acceptedVersions(2, 5).build()
                .verify(tampered, ExpectedValues.none())).isInstanceOf(SignatureInvalid.class);
    }

    @Test
    void trusteeVlekReportIsRefusedForVmplAndItsVlekIsExpired() throws Exception {
        byte[] report = read("snp/test-vlek-report.bin");
        SnpEvidence ev = new SnpEvidence(SnpReport.parse(report),
                List.of(new SnpEvidence.CertEntry("VLEK", read("snp/test-vlek.der"))));
        assertThat(ev.report().generation()).contains(SnpGeneration.MILAN);
        assertThat(ev.report().signingKey()).isEqualTo(SnpReport.SIGNING_KEY_VLEK);
        // today: the VLEK (2024-12-10..2025-12-10) is expired, which trustee does not check (hazard 3)
        assertThatThrownBy(() -> SnpVerifier.builder().clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC)).build().verify(ev, ExpectedValues.none())).isInstanceOf(CertificateExpired.class);
        // accepted after expiry only with the expired-VLEK switch, and then with the warning claims
        Claims late = SnpVerifier.builder().clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .acceptExpiredVlek(true).allowedVmpls(Set.of(0L, 1L)).build().verify(ev, ExpectedValues.none());
        assertThat(late.get("vlek_expired")).isEqualTo(true);
        assertThat((String) late.get("vlek_not_after")).startsWith("2025-12-10T");
        assertThat(late.get("measurement")).isEqualTo("8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0");
        // inside its validity: trustee's outcome, "VMPL Check Failed"
        assertThatThrownBy(() -> SnpVerifier.builder().clock(DURING_VLEK_VALIDITY).build().verify(ev,
                ExpectedValues.none())).isInstanceOf(PolicyViolation.class).hasMessageContaining("vmpl");
        Claims c = SnpVerifier.builder().clock(DURING_VLEK_VALIDITY).allowedVmpls(Set.of(0L, 1L)).build()
                .verify(ev, ExpectedValues.none());
        assertThat(c.get("measurement")).isEqualTo("8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0");
        assertThat(c.get("reported_tcb_microcode")).isEqualTo(217L);
        assertThat(c.get("reported_tcb_snp")).isEqualTo(24L);
        assertThat(c.get("chip_id")).isEqualTo("00".repeat(64));
        assertThat(c.reportData()).startsWith("819770b7");
        byte[] tampered = report.clone();
        tampered[42]++;
        SnpEvidence bad = new SnpEvidence(SnpReport.parse(tampered), ev.certChain());
        assertThatThrownBy(() -> SnpVerifier.builder().clock(DURING_VLEK_VALIDITY).allowedVmpls(Set.of(0L, 1L))
                .build().verify(bad, ExpectedValues.none())).isInstanceOf(SignatureInvalid.class);
        AmdLeafCertificate vlek = AmdLeafCertificate.of(der("snp/test-vlek.der"));
        assertThat(vlek.cspId()).isEqualTo("CN=cc-us-east-2.amazonaws.com");
        assertThat(vlek.hwId()).isNull();
    }

    @Test
    void virteeMilanReportVerifiesWhenVersion2IsAccepted(@TempDir Path dir) throws Exception {
        byte[] report = HEX.parseHex(new String(read("snp/virtee-report_milan.hex"), StandardCharsets.US_ASCII).strip());
        var b = milanStore(dir, "snp/virtee-vcek_milan.der", report).acceptedVersions(2, 5);
        Claims c = b.build().verify(report, ExpectedValues.none());
        assertThat(c.get("measurement")).isEqualTo("7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f");
        assertThat((String) c.get("chip_id")).startsWith("d49554ec").endsWith("4d541eb6");
        assertThat(c.reportData()).startsWith("d447b55d");
        byte[] tampered = report.clone();
        tampered[21] ^= (byte) 0x80;
        assertThatThrownBy(() -> b.build().verify(tampered, ExpectedValues.none())).isInstanceOf(SignatureInvalid.class);
    }

    @Test
    void realLeafChainsAndHwIdEncodings() throws Exception {
        SnpVerifier v = SnpVerifier.builder().build();
        assertThat(v.verifyLeafChain(der("snp/test-vcek.der"), SnpGeneration.MILAN).productName()).isEqualTo("Milan-B0");
        assertThat(v.verifyLeafChain(der("snp/virtee-vcek_milan.der"), SnpGeneration.MILAN).type())
                .isEqualTo(AmdLeafCertificate.LeafType.VCEK);
        AmdLeafCertificate turin = v.verifyLeafChain(der("snp/virtee-vcek_turin.der"), SnpGeneration.TURIN);
        assertThat(turin.hwId()).hasSize(8);
        assertThat(v.verifyLeafChain(der("snp/e2e-vcek-genoa.derived.der"), SnpGeneration.GENOA).productName())
                .isEqualTo("Genoa");
        // the Milan VCEK does not chain to the Genoa ARK
        assertThatThrownBy(() -> v.verifyLeafChain(der("snp/test-vcek.der"), SnpGeneration.GENOA))
                .isInstanceOf(ChainInvalid.class);
        AmdLeafCertificate t = AmdLeafCertificate.of(der("snp/test-vcek.der"));
        assertThat(t.tcb()).isEqualTo(new TcbVersion(null, 3, 0, 8, 115));
        assertThat(HEX.formatHex(t.hwId())).startsWith("c38427a30d4c7af9").endsWith("e477524e");
        byte[] seq = new byte[64];
        for (int i = 0; i < 64; i++) {
            seq[i] = (byte) i;
        }
        for (String f : new String[] {"snp/test-vcek-invalid-legacy.der", "snp/test-vcek-invalid-new.der"}) {
            assertThat(AmdLeafCertificate.of(der(f)).hwId()).as(f).isEqualTo(seq);
            assertThatThrownBy(() -> v.verifyLeafChain(der(f), SnpGeneration.MILAN)).as(f)
                    .isInstanceOf(ChainInvalid.class);
        }
        AmdLeafCertificate vlek = SnpVerifier.builder().clock(DURING_VLEK_VALIDITY).build()
                .verifyLeafChain(der("snp/test-vlek.der"), SnpGeneration.MILAN);
        assertThat(vlek.tcb().microcode()).isEqualTo(217);
    }

    @Test
    void upstreamFailureVariantsAreRefused(@TempDir Path dir) throws Exception {
        // check_report_tcb_failure: byte 384 (reported_tcb.bootloader) += 1. Upstream calls the TCB check alone; the
        // full verifier checks the signature first, and reported_tcb is signed, so the report signature fails
        byte[] report = read("snp/test-report.bin");
        byte[] tcb = report.clone();
        tcb[384]++;
        assertThatThrownBy(() -> milanStore(dir, "snp/test-vcek.der", report).acceptedVersions(2, 5).build()
                .verify(tcb, ExpectedValues.none())).isInstanceOf(SignatureInvalid.class);
        // check_vcek_signature_failure: VCEK byte 42 += 1 lands in the TBSCertificate's signature algorithm, which then
        // differs from the outer one: the certificate is refused as malformed before any signature check
        byte[] vcek = read("snp/test-vcek.der");
        vcek[42]++;
        assertThatThrownBy(() -> Certificates.fromDer(vcek, "vcek")).isInstanceOf(Malformed.class)
                .hasMessageContaining("Signature algorithm mismatch");
        // check_milan_chain_signature_failure: the ASVK in place of the ASK
        var milan = AmdTrustAnchors.builtIn().forGeneration(SnpGeneration.MILAN).orElseThrow();
        SnpVerifier swapped = SnpVerifier.builder().trustAnchors(AmdTrustAnchors.of(Map.of(SnpGeneration.MILAN,
                new AmdTrustAnchors.Anchors(milan.ark(), milan.asvk(), milan.asvk())))).build();
        assertThatThrownBy(() -> swapped.verifyLeafChain(der("snp/test-vcek.der"), SnpGeneration.MILAN))
                .isInstanceOf(ChainInvalid.class);
    }
}
