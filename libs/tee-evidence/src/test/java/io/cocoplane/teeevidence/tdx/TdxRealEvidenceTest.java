package io.cocoplane.teeevidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.CollateralInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.json.JsonMapper;

/** Real Intel TDX quotes and collateral from shared/testdata, checked against MANIFEST.md and trustee's oracle. */
class TdxRealEvidenceTest {

    static final HexFormat HEX = HexFormat.of();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-01T00:00:00Z"), ZoneOffset.UTC);

    static byte[] read(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/" + rel));
    }

    static TdxVerifier.Builder verifier() {
        return TdxVerifier.builder().clock(CLOCK);
    }

    @Test
    void bundledIntelRootIsTheRootEmbeddedInTheQuotes() throws Exception {
        var bundled = TdxVerifier.intelSgxRootCa();
        assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bundled.getEncoded())))
                .isEqualTo("44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
        assertThat(Certificates.fromPem(read("intel-roots/intel_sgx_root_ca.derived.pem"), "root").get(0))
                .isEqualTo(bundled);
        for (String q : List.of("tdx/tdx_quote_4.dat", "tdx/tdx_quote_5.dat", "tdx/tdx_quote_6.dat",
                "az-tdx-vtpm/td-quote.bin", "tdx/legacy-aael/AAEL_quote_tdx")) {
            var chain = Certificates.fromPem(TdxQuote.parse(read(q)).pckChainPem(), q);
            assertThat(chain.get(2)).as(q).isEqualTo(bundled);
        }
    }

    @Test
    void quote4MatchesTrusteesClaimOracle() throws Exception {
        byte[] quote = read("tdx/tdx_quote_4.dat");
        Claims c = verifier().build().verify(quote, ExpectedValues.none());
        @SuppressWarnings("unchecked")
        Map<String, Object> oracle = JsonMapper.builder().build().readValue(read("tdx/parse_tdx_claims_expected.json"),
                Map.class);
        assertThat(c.get("quote")).isEqualTo(oracle.get("quote"));
        assertThat(c.get("td_attributes")).isEqualTo(oracle.get("td_attributes"));
        assertThat(c.get("platform_instance_id")).isEqualTo(oracle.get("platform_instance_id"));
        assertThat(c.reportData()).isEqualTo(oracle.get("report_data"));
        assertThat(c.initData()).isEqualTo(oracle.get("init_data"));
        assertThat(c.get("tcb_status")).isEqualTo("Unknown");
        assertThat(c.get("collateral_missing")).isEqualTo(true);
        assertThat(c.get("root_key_id")).isEqualTo(
                "46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993");
        assertThat(TdxQuote.parse(quote).version()).isEqualTo(4);
    }

    @Test
    void quote4InTrusteeJsonFormAndItsBindings() throws Exception {
        byte[] quote = read("tdx/tdx_quote_4.dat");
        byte[] json = ("{\"cc_eventlog\":null,\"quote\":\"" + Base64.getEncoder().encodeToString(quote) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] reportData = Arrays.copyOfRange(quote, 48 + 520, 48 + 584); // read independently at the ABI offset
        assertThat(verifier().build().verify(json, ExpectedValues.reportData(reportData)).get("tcb_status"))
                .isEqualTo("Unknown");
        reportData[0] ^= 1;
        assertThatThrownBy(() -> verifier().build().verify(json, ExpectedValues.reportData(reportData)))
                .isInstanceOf(ReportDataMismatch.class);
    }

    @Test
    void quote5IsVersion5WithATdx15Body() throws Exception {
        Claims c = verifier().build().verify(read("tdx/tdx_quote_5.dat"), ExpectedValues.none());
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) c.get("quote");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) q.get("body");
        assertThat(q.get("type")).isEqualTo("0300");
        assertThat(body.get("mr_td")).isEqualTo(
                "dfba221b48a22af8511542ee796603f37382800840dcd978703909bf8e64d4c8a1e9de86e7c9638bfcba422f3886400a");
        assertThat((String) body.get("tcb_svn")).startsWith("05010200");
        assertThat((String) body.get("tee_tcb_svn2")).startsWith("05010200");
        // MANIFEST abbreviates it as 383c87d3…5a5a033d; the bytes at body offset 600 (read with Python) end in 7a5a033d
        assertThat(body.get("mr_servicetd")).isEqualTo("383c87d3bbb047b2d171eaca95312ede99f258088dc788f6"
                + "ae2ccf8b6dd848fe8d47629e08b3f6cbd4a00dd47a5a033d");
        assertThat((String) body.get("mr_seam")).startsWith("1cc6a17a").endsWith("6d47fa04");
        assertThat(c.reportData()).startsWith("6d6ab13b").endsWith("74fd049f");
    }

    @Test
    void quote6WithCollateralIsOutOfDate() throws Exception {
        byte[] quote = read("tdx/tdx_quote_6.dat");
        TdxCollateral col = TdxCollateral.parse(read("tdx/tcbInfo.json"), read("tdx/enclaveIdentity.json"));
        byte[] mrConfigId = HEX.parseHex("889abf4718f037e38d74464c11e7c91a6e9890b5546409e1e7df9de7a51ca93152bf847bd2440328e90adb18b150ed67");
        byte[] reportData = Arrays.copyOfRange(quote, 48 + 520, 48 + 520 + 48);
        Claims c = verifier().collateral(col).build().verify(quote,
                ExpectedValues.reportData(reportData).withInitDataDigest(mrConfigId));
        assertThat(c.get("tcb_status")).isEqualTo("OutOfDate");
        assertThat(c.get("tcb_date")).isEqualTo("2018-01-04T00:00:00Z");
        assertThat(c.get("collateral_expiration_status")).isEqualTo("0");
        assertThat(c.get("tcb_eval_num")).isEqualTo(17L);
        assertThat(c.reportData()).startsWith("26cae1c7").endsWith("b32cfd" + "00".repeat(16));
        assertThat(c.initData()).isEqualTo(HEX.formatHex(mrConfigId));
        TdxCollateral.Evaluation e = col.evaluate(TdxQuote.parse(quote),
                PckCertificate.of(Certificates.fromPem(TdxQuote.parse(quote).pckChainPem(), "pck").get(0)),
                Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(e.moduleStatus()).isEqualTo("UpToDate");
        assertThat(e.qeStatus()).isEqualTo("UpToDate");
        assertThat(e.platformStatus()).isEqualTo("OutOfDate");
        assertThat(e.collateralExpired()).isTrue();
        // a sha256 init digest is zero-padded to 48 bytes, so the first 32 bytes alone do not match
        assertThatThrownBy(() -> verifier().build().verify(quote,
                ExpectedValues.reportData(reportData).withInitDataDigest(Arrays.copyOf(mrConfigId, 32))))
                .isInstanceOf(InitDataMismatch.class);
    }

    @Test
    void pckFieldsOfQuote6() throws Exception {
        var pck = PckCertificate.of(Certificates.fromPem(TdxQuote.parse(read("tdx/tdx_quote_6.dat")).pckChainPem(),
                "pck").get(0));
        assertThat(HEX.formatHex(pck.fmspc())).isEqualTo("00a06d080000");
        assertThat(pck.pceSvn()).isEqualTo(11);
        assertThat(Arrays.copyOf(pck.sgxTcbComponents(), 8)).containsExactly(2, 2, 7, 7, 4, 1, 0, 2);
    }

    @Test
    void collateralForAnotherFmspcIsRefused() throws Exception {
        TdxCollateral col = TdxCollateral.parse(read("tdx/tcbInfo.json"), read("tdx/enclaveIdentity.json"));
        byte[] quote4 = read("tdx/tdx_quote_4.dat");
        assertThatThrownBy(() -> verifier().collateral(col).build().verify(quote4,
                ExpectedValues.none())).isInstanceOf(CollateralInvalid.class).hasMessageContaining("FMSPC");
    }

    @Test
    void collateralSignatureNeedsTheTcbSigningChain() throws Exception {
        TdxCollateral col = TdxCollateral.parse(read("tdx/tcbInfo.json"), read("tdx/enclaveIdentity.json"));
        var pckChain = Certificates.fromPem(TdxQuote.parse(read("tdx/tdx_quote_6.dat")).pckChainPem(), "pck");
        // the PCK Platform CA is not the TCB signing key: the signature must not verify
        assertThatThrownBy(() -> col.verifySignatures(List.of(pckChain.get(1)), pckChain.get(2)))
                .isInstanceOf(CollateralInvalid.class).hasMessageContaining("signature");
        byte[] raw = TdxCollateral.rawMember(read("tdx/tcbInfo.json"), "tcbInfo");
        assertThat(new String(raw, StandardCharsets.UTF_8)).startsWith("{\"id\":\"TDX\"").endsWith("}");
    }

    @Test
    void otherRealTdQuotesVerify() throws Exception {
        Claims az = verifier().build().verify(read("az-tdx-vtpm/td-quote.bin"), ExpectedValues.none());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) az.get("quote")).get("body");
        assertThat(body.get("mr_td")).isEqualTo(
                "024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b");
        // MANIFEST: "9734504f…e5938390 + 32 zero bytes": a 32-byte value ending in …e593839, then zero padding
        assertThat(az.reportData()).isEqualTo("9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e593839"
                + "00".repeat(32));
        Claims aael = verifier().build().verify(read("tdx/legacy-aael/AAEL_quote_tdx"), ExpectedValues.none());
        @SuppressWarnings("unchecked")
        Map<String, Object> b2 = (Map<String, Object>) ((Map<String, Object>) aael.get("quote")).get("body");
        assertThat((String) b2.get("rtmr_3")).startsWith("71563a23").endsWith("9a100764");
    }

    @Test
    void tamperedQuotesAreRefused() throws Exception {
        byte[] quote = read("tdx/tdx_quote_4.dat");
        byte[] body = quote.clone();
        body[48 + 136] ^= 1; // mr_td
        assertThatThrownBy(() -> verifier().build().verify(body, ExpectedValues.none()))
                .isInstanceOf(SignatureInvalid.class).hasMessageContaining("quote_signature");
        byte[] qe = quote.clone();
        qe[632 + 4 + 128 + 6 + 10] ^= 1; // inside the QE report
        assertThatThrownBy(() -> verifier().build().verify(qe, ExpectedValues.none()))
                .isInstanceOf(SignatureInvalid.class).hasMessageContaining("qe_report_signature");
        byte[] key = quote.clone();
        key[632 + 4 + 64 + 5] ^= 1; // attestation key: breaks the QE binding
        assertThatThrownBy(() -> verifier().build().verify(key, ExpectedValues.none()))
                .isInstanceOf(SignatureInvalid.class).hasMessageContaining("qe_report_data");
    }

    @Test
    void sgxQuoteV3IsNotATdQuote() throws Exception {
        byte[] sgx = read("sgx/occlum_quote.dat");
        assertThatThrownBy(() -> verifier().build().verify(sgx, ExpectedValues.none()))
                .isInstanceOf(Malformed.class).satisfies(e -> assertThat(((Malformed) e).offset()).isZero());
    }
}
