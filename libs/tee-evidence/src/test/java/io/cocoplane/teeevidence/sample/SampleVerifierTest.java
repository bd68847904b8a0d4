package io.cocoplane.teeevidence.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceVerifiers;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Tee;

/** The development-only sample TEE: trustee's format plus {@code init_data}, and its opt-in. */
class SampleVerifierTest {

    static final HexFormat HEX = HexFormat.of();
    // the protocol vector of kbs-attestation.md §4.1 (SHA-384 of the canonical runtime data)
    static final byte[] DIGEST = HEX.parseHex(
            "cf696e067cb19ab4cd6ed6d185a432a3a5d01e35152cd26b87b51a6744b2aefbae41b9e305c698506c4bace4c9fff6b4");
    static final SampleVerifier V = SampleVerifier.enableForDevelopment();

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void trusteesExampleEvidenceVerifies() throws Exception {
        // tee-evidence.primary_evidence of kbs-protocol/rcar_example.synthetic.json (quoted in the design note §2.3)
        byte[] ev = json("{\"svn\":\"1\",\"report_data\":"
                + "\"z2luBnyxmrTNbtbRhaQyo6XQHjUVLNJrh7UaZ0SyrvuuQbnjBcaYUGxLrOTJ//a0\"}");
        Claims c = V.verify(ev, ExpectedValues.reportData(DIGEST));
        assertThat(c.tee()).isEqualTo(Tee.SAMPLE);
        assertThat(c.get("svn")).isEqualTo("1");
        assertThat(c.reportData()).isEqualTo(HEX.formatHex(DIGEST));
        assertThat(c.initData()).isNull();
    }

    @Test
    void reportDataIsComparedExactlyNotPadded() {
        byte[] padded = java.util.Arrays.copyOf(DIGEST, 64);
        byte[] ev = json("{\"svn\":\"1\",\"report_data\":\"" + Base64.getEncoder().encodeToString(padded) + "\"}");
        assertThatThrownBy(() -> V.verify(ev, ExpectedValues.reportData(DIGEST)))
                .isInstanceOf(ReportDataMismatch.class);
        byte[] other = DIGEST.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"report_data\":\""
                + Base64.getEncoder().encodeToString(other) + "\"}"), ExpectedValues.reportData(DIGEST)))
                .isInstanceOf(ReportDataMismatch.class);
    }

    @Test
    void initDataMustBePresentAndEqualWhenExpected() throws Exception {
        byte[] init = MessageDigest.getInstance("SHA-384").digest(json("version = \"0.1.0\"\nalgorithm = \"sha384\"\n"));
        String rd = Base64.getEncoder().encodeToString(DIGEST);
        ExpectedValues exp = ExpectedValues.reportData(DIGEST).withInitDataDigest(init);
        Claims c = V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\",\"init_data\":\"" + HEX.formatHex(init)
                + "\"}"), exp);
        assertThat(c.initData()).isEqualTo(HEX.formatHex(init));
        assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\"}"), exp))
                .isInstanceOf(InitDataMismatch.class);
        byte[] other = init.clone();
        other[47] ^= 1;
        assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\",\"init_data\":\""
                + HEX.formatHex(other) + "\"}"), exp)).isInstanceOf(InitDataMismatch.class);
        // a truncated (SNP HOST_DATA-sized) digest is not the full digest
        assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\",\"init_data\":\""
                + HEX.formatHex(java.util.Arrays.copyOf(init, 32)) + "\"}"), exp)).isInstanceOf(InitDataMismatch.class);
        // without an expectation, init_data is reported but not required
        assertThat(V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\"}"), ExpectedValues.reportData(DIGEST))
                .initData()).isNull();
    }

    @Test
    void launchDigestIsReportedOnlyWhenSent() throws Exception {
        String rd = Base64.getEncoder().encodeToString(DIGEST);
        Claims sent = V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\",\"launch_digest\":\"0badc0de\"}"),
                ExpectedValues.reportData(DIGEST));
        assertThat(sent.get("launch_digest")).isEqualTo("0badc0de");
        Claims absent = V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + rd + "\"}"),
                ExpectedValues.reportData(DIGEST));
        assertThat(absent.teeClaims()).containsOnlyKeys("svn");
        for (String bad : new String[] {"\"\"", "\"ABCD\"", "\"" + "a".repeat(129) + "\"", "12"}) {
            assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"launch_digest\":" + bad + "}"),
                    ExpectedValues.none())).as(bad).isInstanceOf(Malformed.class);
        }
    }

    /** Fuzz finding (tools/fuzz sampleEvidence): 88 base64 characters without padding decode to 66 bytes. */
    @Test
    void reportDataOfMoreThan64BytesIsMalformed() throws Exception {
        assertThatThrownBy(() -> V.verify(json("{\"svn\":\"1\",\"report_data\":\"" + "A".repeat(88) + "\"}"),
                ExpectedValues.none())).isInstanceOf(Malformed.class)
                .hasMessage("malformed: \"report_data\" longer than 64 bytes");
        assertThat(V.verify(json("{\"svn\":\"1\",\"report_data\":\""
                + Base64.getEncoder().encodeToString(new byte[64]) + "\"}"), ExpectedValues.none()).reportData())
                .isEqualTo("00".repeat(64));
    }

    @Test
    void malformedSampleEvidence() {
        for (String bad : new String[] {"", "[]", "{}", "{\"svn\":1}", "{\"svn\":\"1\",\"report_data\":\"%%\"}",
                "{\"svn\":\"1\",\"init_data\":\"ABCD\"}", "{\"svn\":\"1\",\"init_data\":\"" + "AB".repeat(32) + "\"}",
                "{\"svn\":\"1\",\"init_data\":\"" + "ab".repeat(33) + "\"}",
                "{\"svn\":\"1\",\"report_data\":\"" + "A".repeat(200) + "\"}", "{\"svn\":\"" + "1".repeat(65) + "\"}"}) {
            assertThatThrownBy(() -> V.verify(json(bad), ExpectedValues.none())).as(bad).isInstanceOf(Malformed.class);
        }
    }

    @Test
    void defaultRegistryHasNoSampleVerifier() {
        assertThat(EvidenceVerifiers.defaults().forTee(Tee.SAMPLE)).isEmpty();
        assertThat(EvidenceVerifiers.defaults().forTee(Tee.SNP)).isPresent();
        assertThat(EvidenceVerifiers.defaults().forTee(Tee.TDX)).isPresent();
        assertThat(EvidenceVerifiers.of(V).forTee(Tee.SAMPLE)).containsSame(V);
        assertThatThrownBy(() -> EvidenceVerifiers.of(V, SampleVerifier.enableForDevelopment()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sampleVerifierHasNoPublicConstructor() {
        assertThat(SampleVerifier.class.getConstructors()).isEmpty();
    }
}
