package io.cocoplane.teeevidence.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.CertificateExpired;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChipIdMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.EndorsementMissing;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.SigningKeyMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.TcbMismatch;
import io.cocoplane.teeevidence.ExpectedValues;

/** SNP verification against a synthetic AMD PKI (always runs). */
class SnpVerifierTest {

    static final SnpFixtures PKI = new SnpFixtures(SnpGeneration.GENOA);
    static final HexFormat HEX = HexFormat.of();
    static final byte[] DIGEST48 = SnpFixtures.filled(48, 0x5a);

    final SnpFixtures.Report spec = new SnpFixtures.Report();
    final SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);

    static SnpVerifier.Builder verifier() {
        return SnpVerifier.builder().trustAnchors(PKI.anchors()).clock(Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC));
    }

    static SnpEvidence evidence(byte[] report, SnpFixtures.Leaf leaf, String type) throws Malformed {
        return new SnpEvidence(SnpReport.parse(report),
                List.of(new SnpEvidence.CertEntry(type, encoded(leaf))));
    }

    static byte[] encoded(SnpFixtures.Leaf leaf) {
        try {
            return leaf.cert().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] signedReport() {
        spec.reportData = java.util.Arrays.copyOf(DIGEST48, 64);
        return SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
    }

    @Test
    void acceptsAGenuineReportAndEmitsTrusteeClaims() throws Exception {
        spec.policy = 0x30000L | (1L << 19) | 0x0102; // debug allowed, abi 1.2
        spec.hostData = SnpFixtures.filled(32, 0x77);
        byte[] report = signedReport();
        byte[] init = SnpFixtures.filled(48, 0x77); // sha384 init digest: truncated to 32 bytes
        Claims c = verifier().build().verify(evidence(report, vcek, "VCEK"),
                ExpectedValues.reportData(DIGEST48).withInitDataDigest(init));

        assertThat(c.get("measurement")).isEqualTo("22".repeat(48));
        assertThat(c.get("chip_id")).isEqualTo("44".repeat(64));
        assertThat(c.get("policy_debug_allowed")).isEqualTo(true);
        assertThat(c.get("policy_abi_major")).isEqualTo(1L);
        assertThat(c.get("policy_abi_minor")).isEqualTo(2L);
        assertThat(c.get("policy_smt_allowed")).isEqualTo(true);
        assertThat(c.get("policy_migrate_ma")).isEqualTo(false);
        assertThat(c.get("reported_tcb_bootloader")).isEqualTo(10L);
        assertThat(c.get("reported_tcb_snp")).isEqualTo(23L);
        assertThat(c.get("reported_tcb_microcode")).isEqualTo(25L);
        assertThat(c.get("platform_smt_enabled")).isEqualTo(true);
        assertThat(c.get("platform_tsme_enabled")).isEqualTo(false);
        assertThat(c.reportData()).isEqualTo("5a".repeat(48) + "00".repeat(16));
        assertThat(c.initData()).isEqualTo("77".repeat(32));
    }

    @Test
    void everySingleBitFlipInTheSignedPartIsRefused() throws Exception {
        byte[] report = signedReport();
        SnpVerifier v = verifier().build();
        ExpectedValues exp = ExpectedValues.reportData(DIGEST48);
        v.verify(evidence(report, vcek, "VCEK"), exp); // baseline accepted
        // 5376 ECDSA P-384 verifications; the AMD chain is validated once and cached by the verifier
        java.util.concurrent.atomic.AtomicInteger signatureFailures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> accepted = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<String> unexpected = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.stream.IntStream.range(0, SnpReport.SIGNED_LENGTH * 8).forEach(bit -> {
            byte[] r = report.clone();
            r[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                v.verify(evidence(r, vcek, "VCEK"), exp);
                accepted.add("bit " + bit);
            } catch (SignatureInvalid e) {
                signatureFailures.incrementAndGet();
            } catch (EvidenceRefusedException e) {
                // version (0x000), signature_algo (0x034) and CPUID (0x188..0x189) flips are refused before the
                // signature check, by parsing or policy
                int off = bit / 8;
                if (!(off < 4 || off == 0x188 || off == 0x189 || (off >= 0x034 && off < 0x038))) {
                    unexpected.add("bit " + bit + ": " + e);
                }
            }
        });
        assertThat(accepted).isEmpty();
        assertThat(unexpected).isEmpty();
        assertThat(signatureFailures.get()).isGreaterThan(SnpReport.SIGNED_LENGTH * 8 - 100);
    }

    @Test
    void signatureFieldPaddingMustBeZero() throws Exception {
        byte[] r = signedReport();
        r[SnpReport.SIGNATURE_R_OFFSET + 60] = 1;
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vcek, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(SignatureInvalid.class);
    }

    @Test
    void wrongReportDataIsRefused() throws Exception {
        byte[] report = signedReport();
        byte[] other = DIGEST48.clone();
        other[47] ^= 1;
        assertThatThrownBy(() -> verifier().build().verify(evidence(report, vcek, "VCEK"),
                ExpectedValues.reportData(other))).isInstanceOf(ReportDataMismatch.class);
    }

    @Test
    void wrongHostDataIsRefused() throws Exception {
        byte[] report = signedReport();
        byte[] init = SnpFixtures.filled(32, 0x34);
        assertThatThrownBy(() -> verifier().build().verify(evidence(report, vcek, "VCEK"),
                ExpectedValues.reportData(DIGEST48).withInitDataDigest(init)))
                .isInstanceOf(InitDataMismatch.class);
    }

    @Test
    void vcekOfAnotherChipIsRefused() throws Exception {
        byte[] report = signedReport();
        // a genuine VCEK (signed by the ASK, same TCB) whose hwID is another chip's, whose key signed the report
        SnpFixtures.Leaf otherChip = PKI.vcek(SnpFixtures.filled(64, 0x45), spec.tcb);
        byte[] r = SnpFixtures.sign(report, otherChip.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, otherChip, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(ChipIdMismatch.class);
    }

    @Test
    void maskedChipIdWithVcekIsRefused() throws Exception {
        spec.chipId = new byte[64];
        spec.keyInfo = 2; // MASK_CHIP_KEY
        SnpFixtures.Leaf leaf = PKI.vcek(SnpFixtures.filled(64, 0x44), spec.tcb);
        byte[] r = SnpFixtures.sign(spec.bytes(), leaf.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, leaf, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(ChipIdMismatch.class);
    }

    @Test
    void tcbMismatchIsRefused() throws Exception {
        SnpFixtures.Leaf newerUcode = PKI.vcek(spec.chipId, new TcbVersion(null, 10, 0, 23, 26));
        byte[] r = SnpFixtures.sign(spec.bytes(), newerUcode.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, newerUcode, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(TcbMismatch.class).hasMessageContaining("ucodeSPL");
    }

    @Test
    void vlekLeafWithVcekSigningKeyIsRefused() throws Exception {
        SnpFixtures.Leaf vlek = PKI.leaf(true, null, spec.tcb, SnpFixtures.NOW.minus(1, ChronoUnit.DAYS),
                SnpFixtures.NOW.plus(1, ChronoUnit.DAYS));
        spec.keyInfo = 0; // says VCEK
        byte[] r = SnpFixtures.sign(spec.bytes(), vlek.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vlek, "VLEK"), ExpectedValues.none()))
                .isInstanceOf(SigningKeyMismatch.class);
        spec.keyInfo = 1 << 2; // says VLEK: accepted, and no chip binding for VLEK
        byte[] ok = SnpFixtures.sign(spec.bytes(), vlek.key().getPrivate());
        assertThat(verifier().build().verify(evidence(ok, vlek, "VLEK"), ExpectedValues.none()).get("chip_id"))
                .isEqualTo("44".repeat(64));
    }

    @Test
    void vcekLeafWithVlekSigningKeyIsRefused() throws Exception {
        spec.keyInfo = 1 << 2;
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vcek, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(SigningKeyMismatch.class);
    }

    @Test
    void expiredLeafIsRefusedUnlessValidityChecksAreOff() throws Exception {
        SnpFixtures.Leaf expired = PKI.leaf(false, spec.chipId, spec.tcb,
                SnpFixtures.NOW.minus(400, ChronoUnit.DAYS), SnpFixtures.NOW.minus(1, ChronoUnit.DAYS));
        byte[] r = SnpFixtures.sign(spec.bytes(), expired.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, expired, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class);
        assertThat(verifier().checkCertificateValidity(false).build()
                .verify(evidence(r, expired, "VCEK"), ExpectedValues.none()).tee().wireName()).isEqualTo("snp");
    }

    @Test
    void vmplOtherThanZeroIsRefusedByDefault() throws Exception {
        spec.vmpl = 1;
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vcek, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("vmpl");
        assertThat(verifier().allowedVmpls(Set.of(0L, 1L)).build()
                .verify(evidence(r, vcek, "VCEK"), ExpectedValues.none())).isNotNull();
    }

    @Test
    void versionTwoIsRefusedByDefaultAndAcceptedWhenConfigured() throws Exception {
        spec.version = 2;
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        // v2 has no CPUID: generation guessed from chip_id (not Turin-like => Milan), so use a Milan PKI
        SnpFixtures milan = new SnpFixtures(SnpGeneration.MILAN);
        SnpFixtures.Leaf leaf = milan.vcek(spec.chipId, spec.tcb);
        byte[] signed = SnpFixtures.sign(r, leaf.key().getPrivate());
        var b = SnpVerifier.builder().trustAnchors(milan.anchors()).clock(Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> b.build().verify(evidence(signed, leaf, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("report_version");
        assertThat(b.acceptedVersions(2, 5).build().verify(evidence(signed, leaf, "VCEK"), ExpectedValues.none())
                .get("measurement")).isEqualTo("22".repeat(48));
    }

    @Test
    void versionsTwoToFiveParseAndOthersAreMalformed() throws Exception {
        for (int v = 2; v <= 5; v++) {
            spec.version = v;
            assertThat(SnpReport.parse(spec.bytes()).version()).isEqualTo(v);
        }
        spec.version = 6;
        assertThatThrownBy(() -> SnpReport.parse(spec.bytes())).isInstanceOf(Malformed.class)
                .satisfies(e -> assertThat(((Malformed) e).offset()).isZero());
        assertThatThrownBy(() -> SnpReport.parse(new byte[100])).isInstanceOf(Malformed.class)
                .satisfies(e -> assertThat(((Malformed) e).offset()).isEqualTo(100));
    }

    @Test
    void generationDetection() throws Exception {
        spec.model = 0x01;
        assertThat(SnpReport.parse(spec.bytes()).generation()).contains(SnpGeneration.MILAN);
        spec.model = 0xA0;
        assertThat(SnpReport.parse(spec.bytes()).generation()).contains(SnpGeneration.GENOA);
        spec.family = 0x1A;
        spec.model = 0x02;
        assertThat(SnpReport.parse(spec.bytes()).generation()).contains(SnpGeneration.TURIN);
        spec.family = 0x17;
        assertThat(SnpReport.parse(spec.bytes()).generation()).isEmpty();
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vcek, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("generation");
    }

    @Test
    void turinUsesFmcAndEightByteHwId() throws Exception {
        SnpFixtures turin = new SnpFixtures(SnpGeneration.TURIN);
        spec.family = 0x1A;
        spec.model = 0x02;
        spec.turin = true;
        spec.tcb = new TcbVersion(1, 2, 3, 4, 5);
        spec.chipId = new byte[64];
        System.arraycopy(SnpFixtures.filled(8, 0x66), 0, spec.chipId, 0, 8);
        SnpFixtures.Leaf leaf = turin.vcek(SnpFixtures.filled(8, 0x66), spec.tcb);
        byte[] r = SnpFixtures.sign(spec.bytes(), leaf.key().getPrivate());
        var v = SnpVerifier.builder().trustAnchors(turin.anchors()).clock(Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC))
                .build();
        Claims c = v.verify(evidence(r, leaf, "VCEK"), ExpectedValues.none());
        assertThat(c.get("reported_tcb_snp")).isEqualTo(4L);
        assertThat(c.get("reported_tcb_microcode")).isEqualTo(5L);
        SnpFixtures.Leaf wrongFmc = turin.vcek(SnpFixtures.filled(8, 0x66), new TcbVersion(9, 2, 3, 4, 5));
        byte[] r2 = SnpFixtures.sign(spec.bytes(), wrongFmc.key().getPrivate());
        assertThatThrownBy(() -> v.verify(evidence(r2, wrongFmc, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(TcbMismatch.class).hasMessageContaining("fmcSPL");
        SnpFixtures.Leaf otherChip = turin.vcek(SnpFixtures.filled(8, 0x67), spec.tcb);
        byte[] r3 = SnpFixtures.sign(spec.bytes(), otherChip.key().getPrivate());
        assertThatThrownBy(() -> v.verify(evidence(r3, otherChip, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(ChipIdMismatch.class);
    }

    @Test
    void leafFromAnotherPkiIsRefused() throws Exception {
        SnpFixtures rogue = new SnpFixtures(SnpGeneration.GENOA);
        SnpFixtures.Leaf leaf = rogue.vcek(spec.chipId, spec.tcb);
        byte[] r = SnpFixtures.sign(spec.bytes(), leaf.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, leaf, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(ChainInvalid.class);
        // even when the rogue ASK and ARK are supplied in the evidence
        SnpEvidence withChain = new SnpEvidence(SnpReport.parse(r), List.of(
                new SnpEvidence.CertEntry("ARK", rogue.ark.getEncoded()),
                new SnpEvidence.CertEntry("ASK", rogue.ask.getEncoded()),
                new SnpEvidence.CertEntry("VCEK", encoded(leaf))));
        assertThatThrownBy(() -> verifier().build().verify(withChain, ExpectedValues.none()))
                .isInstanceOf(ChainInvalid.class).hasMessageContaining("ARK");
        SnpEvidence withAsk = new SnpEvidence(SnpReport.parse(r), List.of(
                new SnpEvidence.CertEntry("ASK", rogue.ask.getEncoded()),
                new SnpEvidence.CertEntry("VCEK", encoded(leaf))));
        assertThatThrownBy(() -> verifier().build().verify(withAsk, ExpectedValues.none()))
                .isInstanceOf(ChainInvalid.class);
    }

    @Test
    void missingLeafIsEndorsementMissingAndKdsStoreSuppliesIt(@TempDir Path dir) throws Exception {
        byte[] report = signedReport();
        assertThatThrownBy(() -> verifier().build().verify(report, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class);
        Path d = dir.resolve("vcek").resolve("44".repeat(64));
        Files.createDirectories(d);
        Files.write(d.resolve("bl10_tee00_snp23_ucode25_vcek.der"), encoded(vcek));
        Claims c = verifier().kdsStore(new OfflineKdsStore(dir)).build().verify(report,
                ExpectedValues.reportData(DIGEST48));
        assertThat(c.get("chip_id")).isEqualTo("44".repeat(64));
    }

    @Test
    void jsonFormIsReEncodedByteForByte() throws Exception {
        byte[] report = signedReport();
        String json = SnpFixtures.SerdeJson.of(report, encoded(vcek));
        SnpEvidence ev = SnpEvidence.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(HEX.formatHex(ev.report().toBytes())).isEqualTo(HEX.formatHex(report));
        assertThat(verifier().build().verify(json.getBytes(StandardCharsets.UTF_8),
                ExpectedValues.reportData(DIGEST48)).get("measurement")).isEqualTo("22".repeat(48));
    }

    @Test
    void malformedJsonIsRefusedAsMalformed() {
        SnpVerifier v = verifier().build();
        for (String bad : new String[] {"{", "{}", "{\"attestation_report\":1}",
                "{\"attestation_report\":{\"version\":3}}", "{\"attestation_report\":{\"version\":-1}}",
                "[1,2]", "{\"attestation_report\":{\"version\":99999999999999999999999}}"}) {
            assertThatThrownBy(() -> v.verify(bad.getBytes(StandardCharsets.UTF_8), ExpectedValues.none()))
                    .as(bad).isInstanceOf(Malformed.class);
        }
    }

    @Test
    void byteArraysOutOfRangeAreMalformed() throws Exception {
        String json = SnpFixtures.SerdeJson.of(signedReport(), encoded(vcek)).replaceFirst("\"measurement\":\\[34",
                "\"measurement\":[300");
        assertThatThrownBy(() -> SnpEvidence.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Malformed.class).hasMessageContaining("measurement");
    }

    @Test
    void instantIsUsedFromTheInjectedClock() throws Exception {
        byte[] report = signedReport();
        Instant later = SnpFixtures.NOW.plus(400, ChronoUnit.DAYS); // after the VCEK's notAfter
        assertThatThrownBy(() -> SnpVerifier.builder().trustAnchors(PKI.anchors())
                .clock(Clock.fixed(later, ZoneOffset.UTC)).build()
                .verify(evidence(report, vcek, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class);
    }
}
