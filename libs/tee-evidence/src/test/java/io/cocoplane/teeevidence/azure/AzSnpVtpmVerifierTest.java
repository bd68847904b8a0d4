package io.cocoplane.teeevidence.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
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
    static final KeyPair AK = rsa();

    final AzSnpVtpmVerifier verifier = new AzSnpVtpmVerifier(SnpVerifier.builder().trustAnchors(PKI.anchors())
            .clock(Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC)).build());
    final SnpFixtures.Report spec = new SnpFixtures.Report();
    final SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);
    final byte[][] pcrs = new byte[24][];

    AzSnpVtpmVerifierTest() {
        for (int i = 0; i < 24; i++) {
            pcrs[i] = SnpFixtures.filled(32, i);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64u(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static void be(ByteArrayOutputStream o, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    /** TPMS_ATTEST quoting all 24 SHA-256 PCRs with {@code extraData}. */
    byte[] attest(byte[] extraData) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        be(o, 0xFF544347L, 4);
        be(o, 0x8018, 2);
        be(o, 2, 2);
        o.write(new byte[] {0, 0x0b});
        be(o, extraData.length, 2);
        o.write(extraData);
        o.write(new byte[17 + 8]);
        be(o, 1, 4);
        be(o, 0x000B, 2);
        o.write(3);
        o.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : pcrs) {
            all.write(p);
        }
        be(o, 32, 2);
        o.write(sha256(all.toByteArray()));
        return o.toByteArray();
    }

    String evidence(byte[] nonceInQuote, String userData, boolean tamperVarData) throws Exception {
        RSAPublicKey ak = (RSAPublicKey) AK.getPublic();
        String varData = "{\"keys\":[{\"kid\":\"HCLAkPub\",\"key_ops\":[\"sign\"],\"kty\":\"RSA\",\"e\":\""
                + b64u(ak.getPublicExponent()) + "\",\"n\":\"" + b64u(ak.getModulus()) + "\"}],\"user-data\":\""
                + userData + "\"}";
        byte[] var = varData.getBytes(StandardCharsets.UTF_8);
        spec.reportData = Arrays.copyOf(sha256(var), 64);
        byte[] report = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        byte[] hcl = new byte[0x4D4 + var.length];
        hcl[0] = 'H';
        hcl[1] = 'C';
        hcl[2] = 'L';
        hcl[3] = 'A';
        System.arraycopy(report, 0, hcl, 0x20, report.length);
        int[] igvm = {20 + var.length, 1, 2, 1, var.length};
        for (int i = 0; i < 5; i++) {
            for (int b = 0; b < 4; b++) {
                hcl[0x4C0 + 4 * i + b] = (byte) (igvm[i] >>> (8 * b));
            }
        }
        System.arraycopy(var, 0, hcl, 0x4D4, var.length);
        if (tamperVarData) {
            hcl[hcl.length - 3] ^= 1;
        }
        byte[] msg = attest(nonceInQuote);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(AK.getPrivate());
        s.update(msg);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            p.append(i == 0 ? "" : ",").append('"').append(HEX.formatHex(pcrs[i])).append('"');
        }
        return "{\"version\":2,\"tpm_quote\":{\"signature\":\"" + HEX.formatHex(s.sign()) + "\",\"message\":\""
                + HEX.formatHex(msg) + "\",\"pcrs\":[" + p + "]},\"hcl_report\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(hcl) + "\",\"vcek\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(vcek.cert().getEncoded()) + "\"}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    String userData() {
        return HEX.formatHex(Arrays.copyOf(NONCE, 64)).toUpperCase();
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
