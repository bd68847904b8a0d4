package io.cocoplane.teeevidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
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

import io.cocoplane.teeevidence.EvidenceRefusedException.EventLogMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.json.JsonMapper;

/** CCEL parsing and RTMR replay: synthetic logs (always) and trustee's CCEL files (shared testdata). */
class CcEventLogTest {

    static final HexFormat HEX = HexFormat.of();
    static final TdxFixtures PKI = new TdxFixtures();

    static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    /** A crypto-agile log with a SHA-384-only Spec ID event and the given (mrIndex, type, digest) events. */
    static byte[] log(Object[]... events) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream spec = new ByteArrayOutputStream();
        spec.writeBytes("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
        le(spec, 0, 4);
        spec.writeBytes(new byte[] {0, 2, 0, 2});
        le(spec, 1, 4);
        le(spec, 0x000C, 2);
        le(spec, 48, 2);
        spec.write(0);
        le(o, 0, 4);
        le(o, 3, 4);
        o.writeBytes(new byte[20]);
        le(o, spec.size(), 4);
        o.writeBytes(spec.toByteArray());
        for (Object[] e : events) {
            le(o, (Integer) e[0], 4);
            le(o, (Integer) e[1], 4);
            le(o, 1, 4);
            le(o, 0x000C, 2);
            o.writeBytes((byte[]) e[2]);
            byte[] data = ("event " + e[0]).getBytes(StandardCharsets.US_ASCII);
            le(o, data.length, 4);
            o.writeBytes(data);
        }
        o.writeBytes(new byte[64]); // unused table space
        return o.toByteArray();
    }

    static byte[] extend(byte[] reg, byte[] digest) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-384");
        md.update(reg);
        md.update(digest);
        return md.digest();
    }

    @Test
    void syntheticLogReplaysIntoTheQuotesRtmrs() throws Exception {
        byte[] d1 = TdxFixtures.filled(48, 1);
        byte[] d2 = TdxFixtures.filled(48, 2);
        byte[] d3 = TdxFixtures.filled(48, 3);
        byte[] log = log(new Object[] {1, 0x80000001, d1}, new Object[] {2, 0x0d, d2},
                new Object[] {2, 3, TdxFixtures.filled(48, 9)}, new Object[] {2, 0x0d, d3});
        TdxFixtures.Spec spec = new TdxFixtures.Spec();
        spec.rtmrs[0] = extend(new byte[48], d1);
        spec.rtmrs[1] = extend(extend(new byte[48], d2), d3); // the EV_NO_ACTION event is not extended
        CcEventLog parsed = CcEventLog.parse(log);
        assertThat(parsed.events()).hasSize(4);
        assertThat(parsed.replayRtmrs()[1]).isEqualTo(spec.rtmrs[1]);

        TdxVerifier v = TdxVerifier.builder().rootCa(PKI.root).clock(Clock.fixed(TdxFixtures.NOW, ZoneOffset.UTC))
                .build();
        byte[] quote = PKI.quote(spec);
        v.verify(json(quote, log), ExpectedValues.none());
        byte[] forged = log(new Object[] {1, 0x80000001, d1}, new Object[] {2, 0x0d, d2});
        assertThatThrownBy(() -> v.verify(json(quote, forged), ExpectedValues.none()))
                .isInstanceOf(EventLogMismatch.class).hasMessageContaining("RTMR1");
        assertThatThrownBy(() -> CcEventLog.parse(Arrays.copyOf(log, 100))).isInstanceOf(Malformed.class);
        byte[] badSpec = log.clone();
        badSpec[32] = 'X';
        assertThatThrownBy(() -> CcEventLog.parse(badSpec)).isInstanceOf(Malformed.class)
                .hasMessageContaining("Spec ID");
    }

    static byte[] json(byte[] quote, byte[] log) {
        return ("{\"cc_eventlog\":\"" + Base64.getEncoder().encodeToString(log) + "\",\"quote\":\""
                + Base64.getEncoder().encodeToString(quote) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void trusteesCcelMatchesTheOracleDigestsAndManifestReplay() throws Exception {
        CcEventLog log = CcEventLog.parse(Files.readAllBytes(SharedTestData.require("evidence/tdx/CCEL_data")));
        @SuppressWarnings("unchecked")
        Map<String, Object> oracle = JsonMapper.builder().build().readValue(
                Files.readAllBytes(SharedTestData.require("evidence/tdx/parse_tdx_claims_expected.json")), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> expected = (List<Map<String, Object>>) oracle.get("uefi_event_logs");
        assertThat(log.events()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = ((List<Map<String, Object>>) expected.get(i).get("digests")).get(0);
            assertThat(HEX.formatHex(log.events().get(i).sha384())).isEqualTo(d.get("digest"));
            assertThat(Base64.getEncoder().encodeToString(log.events().get(i).data()))
                    .isEqualTo(expected.get(i).get("event"));
        }
        byte[][] rtmr = log.replayRtmrs();
        assertThat(HEX.formatHex(rtmr[0])).startsWith("2dc71230");
        assertThat(HEX.formatHex(rtmr[1])).startsWith("0fa3be56");
        assertThat(CcEventLog.parse(Files.readAllBytes(SharedTestData.require("evidence/tdx/CCEL_data_ovmf")))
                .events()).hasSize(20);
    }

    @Test
    void unpairedCcelIsRefusedForQuote4() throws Exception {
        byte[] quote = Files.readAllBytes(SharedTestData.require("evidence/tdx/tdx_quote_4.dat"));
        byte[] log = Files.readAllBytes(SharedTestData.require("evidence/tdx/CCEL_data"));
        assertThatThrownBy(() -> TdxVerifier.builder().clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"),
                ZoneOffset.UTC)).build().verify(json(quote, log), ExpectedValues.none()))
                .isInstanceOf(EventLogMismatch.class).hasMessageContaining("RTMR0");
    }
}
