package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier;
import io.cocoplane.teeevidence.azure.AzTdxVtpmVerifier;
import io.cocoplane.teeevidence.azure.HclReport;
import io.cocoplane.teeevidence.azure.TpmQuote;
import io.cocoplane.teeevidence.sample.SampleVerifier;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.CcEventLog;
import io.cocoplane.teeevidence.tdx.TdxQuote;
import io.cocoplane.teeevidence.tdx.TdxVerifier;

/**
 * Fuzz targets for {@code libs/tee-evidence}: the guest's evidence reaches these parsers byte for byte. The documented
 * refusal is {@link Malformed} for the parsers and any {@link EvidenceRefusedException} for the verifiers; every
 * other throwable is a finding.
 */
class TeeEvidenceFuzzTest {

    /** The expected report data of the Azure targets; the seeds' TPM quotes carry it as {@code extraData}. */
    static final byte[] AZURE_NONCE = CorpusSeeds.filled(48, 0x6e);

    private static final SnpVerifier SNP = SnpVerifier.builder().build();
    private static final TdxVerifier TDX = TdxVerifier.builder().build();
    private static final List<EvidenceVerifier> AZURE = List.of(new AzSnpVtpmVerifier(SNP), new AzTdxVtpmVerifier(TDX));
    private static final SampleVerifier SAMPLE = SampleVerifier.enableForDevelopment();
    private static final PublicKey STRANGER_AK = rsaPublicKey();
    private static final List<byte[]> ZERO_PCRS = Collections.nCopies(24, new byte[32]);

    /** Raw 1184-byte SNP report: parse, accessors, byte round trip, and the JSON encoding as a fixed point. */
    @FuzzTest
    void snpReport(byte[] data) {
        SnpReport report = refusedOr(() -> SnpReport.parse(data), Malformed.class);
        if (report == null) {
            return;
        }
        check(Arrays.equals(report.toBytes(), data), "toBytes() differs from the parsed bytes");
        check(report.version() >= SnpReport.MIN_PARSED_VERSION && report.version() <= SnpReport.MAX_PARSED_VERSION,
                "accepted version " + report.version());
        report.currentTcb();
        report.reportedTcb();
        report.committedTcb();
        report.launchTcb();
        check(report.signatureP1363().length == 96, "P1363 signature is not 96 bytes");
        jsonFixedPoint(report);
        refusedOr(() -> SNP.verify(data, ExpectedValues.none()), EvidenceRefusedException.class);
    }

    /** SNP evidence in either form (serde JSON or raw report) through the parser and the verifier. */
    @FuzzTest
    void snpEvidence(byte[] data) {
        SnpEvidence ev = refusedOr(() -> SnpEvidence.parse(data), Malformed.class);
        if (ev != null) {
            check(ev.certChain().size() <= SnpEvidence.MAX_CERTS, "more than MAX_CERTS certificates");
            ev.certChain().forEach(c -> check(c.der().length <= SnpEvidence.MAX_CERT_BYTES, "oversized certificate"));
            jsonFixedPoint(ev.report());
        }
        refusedOr(() -> SNP.verify(data, ExpectedValues.none()), EvidenceRefusedException.class);
    }

    /** TDX quote v4/v5, raw or in the {@code {"cc_eventlog","quote"}} JSON, through the parser and the verifier. */
    @FuzzTest
    void tdxQuote(byte[] data) {
        TdxQuote q = refusedOr(() -> TdxQuote.parse(data), Malformed.class);
        if (q != null) {
            int bodySize = q.bodyType() == 2 ? TdxQuote.BODY_SIZE_1_0 : TdxQuote.BODY_SIZE_1_5;
            check(q.body().length == bodySize, "body length " + q.body().length + " for type " + q.bodyType());
            check(q.signedData().length == (q.version() == 4 ? 48 : 54) + bodySize, "signed part has the wrong size");
            check(q.qeReport().length == TdxQuote.QE_REPORT_SIZE, "QE report is not 384 bytes");
            for (int i = 0; i < 4; i++) {
                check(q.rtmr(i).length == 48, "RTMR is not 48 bytes");
            }
            check(q.reportData().length == 64 && q.mrConfigId().length == 48, "report data / MRCONFIGID sizes");
        }
        refusedOr(() -> TDX.verify(data, ExpectedValues.none()), EvidenceRefusedException.class);
    }

    /** TDX CC event log (CCEL, TCG2 crypto-agile): parse and replay. */
    @FuzzTest
    void ccEventLog(byte[] data) {
        CcEventLog log = refusedOr(() -> CcEventLog.parse(data), Malformed.class);
        if (log == null) {
            return;
        }
        check(log.events().size() <= CcEventLog.MAX_EVENTS, "more than MAX_EVENTS events");
        for (byte[] rtmr : log.replayRtmrs()) {
            check(rtmr.length == 48, "replayed RTMR is not 48 bytes");
        }
    }

    /** Azure vTPM TPM quote: frames {@code [TPMS_ATTEST, signature]}, 24 zero PCRs; parse and verify. */
    @FuzzTest
    void azureTpmQuote(byte[] data) {
        List<byte[]> parts = Frames.split(data, 2);
        TpmQuote q = refusedOr(() -> TpmQuote.parse(Frames.part(parts, 0), Frames.part(parts, 1), ZERO_PCRS),
                Malformed.class);
        if (q == null) {
            return;
        }
        check(q.selectedPcrs().stream().allMatch(i -> i >= 0 && i < 24), "selected PCR outside 0..23");
        check(q.extraData().length < q.message().length, "extraData longer than the message");
        refusedOr(() -> {
            q.verify(STRANGER_AK);
            throw new AssertionError("a quote verified under a key that signed nothing");
        }, EvidenceRefusedException.SignatureInvalid.class);
    }

    /** Azure paravisor (HCL) report: parse, embedded SNP report, HCLAkPub and user-data from the variable data. */
    @FuzzTest
    void azureHclReport(byte[] data) {
        HclReport h = refusedOr(() -> HclReport.parse(data), Malformed.class);
        if (h == null) {
            return;
        }
        check(h.reportType() == 2 || h.reportType() == 4, "accepted report type " + h.reportType());
        check(0x4D4 + h.varData().length <= data.length, "variable data runs past the report");
        refusedOr(h::snpReport, Malformed.class);
        refusedOr(h::attestationKey, Malformed.class);
        refusedOr(h::userData, Malformed.class);
    }

    /** Azure SNP and TDX vTPM evidence JSON (v0 byte arrays, v1/v2 hex and base64url) through both verifiers. */
    @FuzzTest
    void azureEvidence(byte[] data) {
        for (EvidenceVerifier v : AZURE) {
            refusedOr(() -> v.verify(data, ExpectedValues.reportData(AZURE_NONCE)), EvidenceRefusedException.class);
        }
    }

    /** The development-only sample evidence, with and without expectations. */
    @FuzzTest
    void sampleEvidence(byte[] data) {
        var claims = refusedOr(() -> SAMPLE.verify(data, ExpectedValues.none()), EvidenceRefusedException.class);
        if (claims != null) {
            // documented: "report_data" is standard base64 of at most 64 bytes
            check(claims.reportData().length() / 2 <= 64,
                    "accepted " + claims.reportData().length() / 2 + " bytes of report data");
        }
        refusedOr(() -> SAMPLE.verify(data, ExpectedValues.reportData(CorpusSeeds.filled(32, 0x01))
                .withInitDataDigest(CorpusSeeds.filled(32, 0x02))), EvidenceRefusedException.class);
    }

    /** encode(parse(encode(report))) == encode(report): the JSON form loses nothing the parser keeps. */
    private static void jsonFixedPoint(SnpReport report) {
        byte[] json = SnpReportJson.evidence(report);
        SnpEvidence again = refusedOr(() -> SnpEvidence.parseJson(json), Malformed.class);
        if (again == null) {
            throw new AssertionError("the JSON form of an accepted report is refused: "
                    + new String(json, StandardCharsets.UTF_8));
        }
        check(Arrays.equals(SnpReportJson.evidence(again.report()), json), "SNP JSON encoding is not a fixed point");
    }

    private static PublicKey rsaPublicKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
