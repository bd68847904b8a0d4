package io.cocoplane.teeevidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.CertificateExpired;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.CollateralInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;

/** TDX verification against a synthetic PCK PKI and synthetic quotes (always runs). */
class TdxVerifierTest {

    static final TdxFixtures PKI = new TdxFixtures();
    static final HexFormat HEX = HexFormat.of();

    static TdxVerifier.Builder verifier() {
        return TdxVerifier.builder().rootCa(PKI.root).clock(Clock.fixed(TdxFixtures.NOW, ZoneOffset.UTC));
    }

    final TdxFixtures.Spec spec = new TdxFixtures.Spec();

    @Test
    void v4QuoteVerifiesAndYieldsTrusteeClaims() throws Exception {
        spec.reportData = Arrays.copyOf(TdxFixtures.filled(48, 0x42), 64);
        Claims c = verifier().build().verify(PKI.quote(spec),
                ExpectedValues.reportData(TdxFixtures.filled(48, 0x42)).withInitDataDigest(spec.mrConfigId));
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) c.get("quote");
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) q.get("header");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) q.get("body");
        assertThat(header.get("version")).isEqualTo("0400");
        assertThat(header.get("tee_type")).isEqualTo("81000000");
        assertThat(header.get("vendor_id")).isEqualTo("939a7233f79c4ca9940a0db3957f0607");
        assertThat(body.get("mr_td")).isEqualTo("21".repeat(48));
        assertThat(body.get("td_attributes")).isEqualTo("0100001000000000");
        assertThat(body).doesNotContainKey("mr_servicetd");
        assertThat(q).doesNotContainKey("type");
        assertThat(c.get("td_attributes")).isEqualTo(Map.of("debug", true, "key_locker", false, "perfmon", false,
                "protection_keys", false, "septve_disable", true));
        assertThat(c.initData()).isEqualTo("31".repeat(48));
        assertThat(c.reportData()).isEqualTo("42".repeat(48) + "00".repeat(16));
        assertThat(c.get("tcb_status")).isEqualTo("Unknown");
        assertThat(c.get("collateral_missing")).isEqualTo(true);
    }

    @Test
    void v5QuotesWithBothBodyTypesVerify() throws Exception {
        spec.version = 5;
        spec.bodyType = 3;
        spec.trailingZeros = 70;
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) verifier().build().verify(PKI.quote(spec), ExpectedValues.none())
                .get("quote");
        assertThat(q.get("type")).isEqualTo("0300");
        assertThat(q.get("size")).isEqualTo("88020000"); // 648 little-endian
        assertThat(((Map<?, ?>) q.get("body")).get("mr_servicetd")).isEqualTo("00".repeat(48));
        spec.bodyType = 2;
        @SuppressWarnings("unchecked")
        Map<String, Object> q2 = (Map<String, Object>) verifier().build().verify(PKI.quote(spec), ExpectedValues.none())
                .get("quote");
        assertThat(q2.get("type")).isEqualTo("0200");
        assertThat(q2.get("size")).isEqualTo("48020000"); // 584
    }

    @Test
    void jsonEvidenceFormIsAccepted() throws Exception {
        String quote = Base64.getEncoder().encodeToString(PKI.quote(spec));
        String json = "{\"cc_eventlog\":null,\"quote\":\"" + quote + "\"}";
        assertThat(verifier().build().verify(json.getBytes(StandardCharsets.UTF_8), ExpectedValues.none()).tee()
                .wireName()).isEqualTo("tdx");
        String garbageLog = "{\"cc_eventlog\":\"AQID\",\"quote\":\"" + quote + "\"}";
        assertThatThrownBy(() -> verifier().build().verify(garbageLog.getBytes(StandardCharsets.UTF_8),
                ExpectedValues.none())).isInstanceOf(Malformed.class).hasMessageContaining("spec_id_event");
        assertThatThrownBy(() -> verifier().build().verify("{\"quote\":\"%%%\"}".getBytes(StandardCharsets.UTF_8),
                ExpectedValues.none())).isInstanceOf(Malformed.class);
        assertThatThrownBy(() -> verifier().build().verify("{\"cc_eventlog\":null}".getBytes(StandardCharsets.UTF_8),
                ExpectedValues.none())).isInstanceOf(Malformed.class).hasMessageContaining("quote");
    }

    @Test
    void bindingsAreChecked() throws Exception {
        byte[] quote = PKI.quote(spec);
        assertThatThrownBy(() -> verifier().build().verify(quote, ExpectedValues.reportData(new byte[48])))
                .isInstanceOf(ReportDataMismatch.class);
        assertThatThrownBy(() -> verifier().build().verify(quote,
                ExpectedValues.none().withInitDataDigest(TdxFixtures.filled(48, 0x32))))
                .isInstanceOf(InitDataMismatch.class);
        // a sha256 init-data digest is zero-padded into the 48-byte MRCONFIGID
        spec.mrConfigId = Arrays.copyOf(TdxFixtures.filled(32, 0x66), 48);
        verifier().build().verify(PKI.quote(spec), ExpectedValues.none().withInitDataDigest(TdxFixtures.filled(32, 0x66)));
    }

    @Test
    void intelRootRefusesATestChainAndPolicyFieldsAreChecked() throws Exception {
        byte[] quote = PKI.quote(spec);
        assertThatThrownBy(() -> TdxVerifier.builder().clock(Clock.fixed(TdxFixtures.NOW, ZoneOffset.UTC)).build()
                .verify(quote, ExpectedValues.none())).isInstanceOf(ChainInvalid.class);
        spec.attKeyType = 3;
        assertThatThrownBy(() -> verifier().build().verify(PKI.quote(spec), ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("att_key_type");
        spec.attKeyType = 2;
        spec.teeType = 0;
        assertThatThrownBy(() -> verifier().build().verify(PKI.quote(spec), ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("tee_type");
    }

    @Test
    void expiredPckIsRefused() throws Exception {
        byte[] quote = PKI.quote(spec);
        assertThatThrownBy(() -> TdxVerifier.builder().rootCa(PKI.root)
                .clock(Clock.fixed(TdxFixtures.NOW.plusSeconds(400L * 86400), ZoneOffset.UTC)).build()
                .verify(quote, ExpectedValues.none())).isInstanceOf(CertificateExpired.class);
    }

    @Test
    void aFlipInEverySignedByteIsRefused() throws Exception {
        byte[] quote = PKI.quote(spec);
        TdxVerifier v = verifier().build();
        v.verify(quote, ExpectedValues.none());
        int signedLength = 48 + 584;
        for (int i = 0; i < signedLength; i++) {
            byte[] t = quote.clone();
            t[i] ^= (byte) (1 << (i % 8));
            try {
                v.verify(t, ExpectedValues.none());
                fail("flip at byte " + i + " accepted");
            } catch (SignatureInvalid e) {
                assertThat(e.check()).isEqualTo("quote_signature");
            } catch (EvidenceRefusedException e) {
                // header fields checked before the signature: version, att_key_type, tee_type, vendor id
                assertThat(i < 8 || (i >= 12 && i < 28)).as("byte %d refused by %s", i, e).isTrue();
            }
        }
    }

    @Test
    void everyTruncationIsMalformedWithAnOffset() {
        byte[] quote = PKI.quote(spec);
        for (int len = 0; len < quote.length; len += 7) {
            byte[] t = Arrays.copyOf(quote, len);
            assertThatThrownBy(() -> TdxQuote.parse(t)).as("length %d", len).isInstanceOf(Malformed.class)
                    .satisfies(e -> assertThat(((Malformed) e).offset()).isBetween(0L, (long) quote.length));
        }
    }

    // ---- collateral ----

    static String levels(int pcesvn, String status, int tdx0) {
        return levels(pcesvn, status, tdx0, 2);
    }

    static String levels(int pcesvn, String status, int tdx0, int tdx2) {
        StringBuilder sgx = new StringBuilder();
        int[] comps = {2, 2, 2, 2, 4, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < 16; i++) {
            sgx.append(i == 0 ? "" : ",").append("{\"svn\":").append(comps[i]).append('}');
        }
        StringBuilder tdx = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            tdx.append(i == 0 ? "" : ",").append("{\"svn\":").append(i == 0 ? tdx0 : i == 2 ? tdx2 : 0).append('}');
        }
        return "{\"tcb\":{\"sgxtcbcomponents\":[" + sgx + "],\"pcesvn\":" + pcesvn + ",\"tdxtcbcomponents\":[" + tdx
                + "]},\"tcbDate\":\"2024-0" + (pcesvn % 9 + 1) + "-01T00:00:00Z\",\"tcbStatus\":\"" + status
                + "\",\"advisoryIDs\":[\"INTEL-SA-0" + pcesvn + "\"]}";
    }

    static String tcbInfo(String fmspc, String levels, String moduleStatus) {
        return "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2026-05-01T00:00:00Z\",\"nextUpdate\":"
                + "\"2026-07-01T00:00:00Z\",\"fmspc\":\"" + fmspc + "\",\"pceId\":\"0000\",\"tcbType\":0,"
                + "\"tcbEvaluationDataNumber\":19,\"tdxModule\":{\"mrsigner\":\"" + "00".repeat(48)
                + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
                + "\"tdxModuleIdentities\":[{\"id\":\"TDX_03\",\"mrsigner\":\"" + "00".repeat(48)
                + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":"
                + "[{\"tcb\":{\"isvsvn\":5},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" + moduleStatus
                + "\"}]}],\"tcbLevels\":[" + levels + "]}";
    }

    static String qeIdentity(int isvsvn, String status) {
        return "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2026-05-01T00:00:00Z\",\"nextUpdate\":"
                + "\"2026-07-01T00:00:00Z\",\"tcbEvaluationDataNumber\":19,\"miscselect\":\"00000000\","
                + "\"miscselectMask\":\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\","
                + "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" + "00".repeat(32)
                + "\",\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":" + isvsvn + "},\"tcbDate\":"
                + "\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" + status + "\"}]}";
    }

    static TdxCollateral collateral(String tcbInfo, String qe) throws Malformed {
        return TdxCollateral.parse(("{\"tcbInfo\":" + tcbInfo + ",\"signature\":\"00\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"enclaveIdentity\":" + qe + ",\"signature\":\"00\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tcbLevelMatchingFollowsQvl() throws Exception {
        byte[] quote = PKI.quote(spec); // PCK pcesvn 11, comps [2,2,7,7,4,1,0,2,0..]; tee_tcb_svn 05 03 02 ..
        String fmspc = "00A06D080000";
        // level 1 needs pcesvn 13 (> 11): skipped; level 2 matches
        TdxCollateral col = collateral(tcbInfo(fmspc, levels(13, "UpToDate", 5) + "," + levels(5, "OutOfDate", 5),
                "UpToDate"), qeIdentity(4, "UpToDate"));
        Claims c = verifier().collateral(col).build().verify(quote, ExpectedValues.none());
        assertThat(c.get("tcb_status")).isEqualTo("OutOfDate");
        assertThat(c.get("advisory_ids")).isEqualTo(List.of("INTEL-SA-05"));
        assertThat(c.get("tcb_date")).isEqualTo("2024-06-01T00:00:00Z");
        assertThat(c.get("collateral_expiration_status")).isEqualTo("0");
        assertThat(c).extracting(x -> x.get("collateral_missing")).isNull();

        TdxCollateral upToDate = collateral(tcbInfo(fmspc, levels(11, "UpToDate", 5), "UpToDate"),
                qeIdentity(4, "UpToDate"));
        assertThat(verifier().collateral(upToDate).build().verify(quote, ExpectedValues.none()).get("tcb_status"))
                .isEqualTo("UpToDate");
        // an out-of-date QE lowers an up-to-date platform
        TdxCollateral oldQe = collateral(tcbInfo(fmspc, levels(11, "UpToDate", 5), "UpToDate"),
                qeIdentity(4, "OutOfDate"));
        assertThat(verifier().collateral(oldQe).build().verify(quote, ExpectedValues.none()).get("tcb_status"))
                .isEqualTo("OutOfDate");
        TdxCollateral cfg = collateral(tcbInfo(fmspc, levels(11, "ConfigurationNeeded", 5), "OutOfDate"),
                qeIdentity(4, "UpToDate"));
        assertThat(verifier().collateral(cfg).build().verify(quote, ExpectedValues.none()).get("tcb_status"))
                .isEqualTo("OutOfDateConfigurationNeeded");
        // after nextUpdate the collateral is reported expired
        assertThat(TdxVerifier.builder().rootCa(PKI.root).collateral(upToDate)
                .clock(Clock.fixed(Instant.parse("2026-08-01T00:00:00Z"), ZoneOffset.UTC)).build()
                .verify(quote, ExpectedValues.none()).get("collateral_expiration_status")).isEqualTo("1");
    }

    @Test
    void revokedUnmatchedOrForeignCollateralIsRefused() throws Exception {
        byte[] quote = PKI.quote(spec);
        String fmspc = "00A06D080000";
        TdxCollateral revoked = collateral(tcbInfo(fmspc, levels(11, "Revoked", 5), "UpToDate"),
                qeIdentity(4, "UpToDate"));
        assertThatThrownBy(() -> verifier().collateral(revoked).build().verify(quote, ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("Revoked");
        // tee_tcb_svn[1] = 3 > 0: components 0 and 1 belong to the module identity and are not compared here
        TdxCollateral moduleSvnIgnored = collateral(tcbInfo(fmspc, levels(11, "UpToDate", 6), "UpToDate"),
                qeIdentity(4, "UpToDate"));
        assertThat(verifier().collateral(moduleSvnIgnored).build().verify(quote, ExpectedValues.none())
                .get("tcb_status")).isEqualTo("UpToDate");
        TdxCollateral tooNew = collateral(tcbInfo(fmspc, levels(11, "UpToDate", 5, 3), "UpToDate"),
                qeIdentity(4, "UpToDate"));
        assertThatThrownBy(() -> verifier().collateral(tooNew).build().verify(quote, ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("tcb_status");
        TdxCollateral qeTooNew = collateral(tcbInfo(fmspc, levels(11, "UpToDate", 5), "UpToDate"),
                qeIdentity(8, "UpToDate"));
        assertThatThrownBy(() -> verifier().collateral(qeTooNew).build().verify(quote, ExpectedValues.none()))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("QE");
        TdxCollateral other = collateral(tcbInfo("00806F050000", levels(11, "UpToDate", 5), "UpToDate"),
                qeIdentity(4, "UpToDate"));
        assertThatThrownBy(() -> verifier().collateral(other).build().verify(quote, ExpectedValues.none()))
                .isInstanceOf(CollateralInvalid.class);
        assertThatThrownBy(() -> TdxCollateral.parse("{\"tcbInfo\":{\"id\":\"SGX\",\"version\":3}}".getBytes(
                StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(Malformed.class);
    }

    @Test
    void collateralSignaturesVerifyOverTheExactMemberBytes() throws Exception {
        var signer = TdxFixtures.p256();
        var signingCert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=Test SGX Root CA"), java.math.BigInteger.TEN,
                        java.util.Date.from(TdxFixtures.NOW.minusSeconds(86400)),
                        java.util.Date.from(TdxFixtures.NOW.plusSeconds(86400)),
                        new org.bouncycastle.asn1.x500.X500Name("CN=Test SGX TCB Signing"), signer.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(PKI.rootKey.getPrivate())));
        String t = tcbInfo("00A06D080000", levels(11, "UpToDate", 5), "UpToDate");
        String q = qeIdentity(4, "UpToDate");
        String tDoc = "{\"tcbInfo\":" + t + ",\"signature\":\"" + HEX.formatHex(TdxFixtures.p1363("SHA256withECDSA",
                signer.getPrivate(), t.getBytes(StandardCharsets.UTF_8))) + "\"}";
        String qDoc = "{\"enclaveIdentity\":" + q + ",\"signature\":\"" + HEX.formatHex(TdxFixtures.p1363(
                "SHA256withECDSA", signer.getPrivate(), q.getBytes(StandardCharsets.UTF_8))) + "\"}";
        TdxCollateral.parse(tDoc.getBytes(StandardCharsets.UTF_8), qDoc.getBytes(StandardCharsets.UTF_8))
                .verifySignatures(List.of(signingCert), PKI.root);
        String tampered = tDoc.replace("\"tcbEvaluationDataNumber\":19", "\"tcbEvaluationDataNumber\":20");
        assertThatThrownBy(() -> TdxCollateral.parse(tampered.getBytes(StandardCharsets.UTF_8),
                qDoc.getBytes(StandardCharsets.UTF_8)).verifySignatures(List.of(signingCert), PKI.root))
                .isInstanceOf(CollateralInvalid.class).hasMessageContaining("tcbInfo");
        assertThatThrownBy(() -> TdxCollateral.parse(tDoc.getBytes(StandardCharsets.UTF_8),
                qDoc.getBytes(StandardCharsets.UTF_8)).verifySignatures(List.of(signingCert), PKI.ca))
                .isInstanceOf(CollateralInvalid.class);
    }
}
