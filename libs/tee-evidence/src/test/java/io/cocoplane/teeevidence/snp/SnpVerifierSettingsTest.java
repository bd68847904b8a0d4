package io.cocoplane.teeevidence.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.CertificateExpired;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.EndorsementMissing;
import io.cocoplane.teeevidence.ExpectedValues;

/**
 * The verifier settings a deployment chooses (always runs, synthetic PKI): clock tolerance, accepting an expired VLEK
 * with a warning claim, extra trust anchors read from PEM, and the online KDS fetch with its cache and rate limit
 * (against a local HTTP server standing in for {@code kdsintf.amd.com}).
 */
class SnpVerifierSettingsTest {

    static final SnpFixtures PKI = new SnpFixtures(SnpGeneration.GENOA);
    static final Clock AT_NOW = Clock.fixed(SnpFixtures.NOW, ZoneOffset.UTC);

    final SnpFixtures.Report spec = new SnpFixtures.Report();

    static SnpVerifier.Builder verifier() {
        return SnpVerifier.builder().trustAnchors(PKI.anchors()).clock(AT_NOW);
    }

    static SnpEvidence evidence(byte[] report, SnpFixtures.Leaf leaf, String type) throws Exception {
        return new SnpEvidence(SnpReport.parse(report), List.of(new SnpEvidence.CertEntry(type,
                leaf.cert().getEncoded())));
    }

    @Test
    void clockToleranceWidensTheValidityPeriodByExactlyThatMuch() throws Exception {
        SnpFixtures.Leaf justExpired = PKI.leaf(false, spec.chipId, spec.tcb,
                SnpFixtures.NOW.minus(400, ChronoUnit.DAYS), SnpFixtures.NOW.minus(2, ChronoUnit.MINUTES));
        byte[] r = SnpFixtures.sign(spec.bytes(), justExpired.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, justExpired, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class);
        assertThatThrownBy(() -> verifier().clockTolerance(Duration.ofMinutes(1)).build()
                .verify(evidence(r, justExpired, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class).hasMessageContaining("clock tolerance PT1M");
        Claims c = verifier().clockTolerance(Duration.ofMinutes(3)).build()
                .verify(evidence(r, justExpired, "VCEK"), ExpectedValues.none());
        assertThat(c.get("measurement")).isEqualTo("22".repeat(48));
        assertThat(c.teeClaims()).doesNotContainKey("vlek_expired");

        SnpFixtures.Leaf notYetValid = PKI.leaf(false, spec.chipId, spec.tcb,
                SnpFixtures.NOW.plus(2, ChronoUnit.MINUTES), SnpFixtures.NOW.plus(400, ChronoUnit.DAYS));
        byte[] r2 = SnpFixtures.sign(spec.bytes(), notYetValid.key().getPrivate());
        assertThatThrownBy(() -> verifier().clockTolerance(Duration.ofMinutes(1)).build()
                .verify(evidence(r2, notYetValid, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class);
        assertThat(verifier().clockTolerance(Duration.ofMinutes(3)).build()
                .verify(evidence(r2, notYetValid, "VCEK"), ExpectedValues.none())).isNotNull();
        assertThatThrownBy(() -> verifier().clockTolerance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExpiredVlekIsAcceptedWithAWarningClaimOnlyWhenEnabled() throws Exception {
        SnpFixtures.Leaf vlek = PKI.leaf(true, null, spec.tcb, SnpFixtures.NOW.minus(400, ChronoUnit.DAYS),
                SnpFixtures.NOW.minus(10, ChronoUnit.DAYS));
        spec.keyInfo = 1 << 2; // signed by the VLEK
        byte[] r = SnpFixtures.sign(spec.bytes(), vlek.key().getPrivate());
        assertThatThrownBy(() -> verifier().build().verify(evidence(r, vlek, "VLEK"), ExpectedValues.none()))
                .isInstanceOf(CertificateExpired.class).hasMessageContaining("VLEK");
        Claims c = verifier().acceptExpiredVlek(true).build().verify(evidence(r, vlek, "VLEK"), ExpectedValues.none());
        assertThat(c.get("vlek_expired")).isEqualTo(true);
        assertThat(c.get("vlek_not_after")).isEqualTo(vlek.cert().getNotAfter().toInstant().toString());
        assertThat(c.get("measurement")).isEqualTo("22".repeat(48));

        // a valid VLEK carries no warning claim
        SnpFixtures.Leaf fresh = PKI.leaf(true, null, spec.tcb, SnpFixtures.NOW.minus(1, ChronoUnit.DAYS),
                SnpFixtures.NOW.plus(1, ChronoUnit.DAYS));
        byte[] ok = SnpFixtures.sign(spec.bytes(), fresh.key().getPrivate());
        assertThat(verifier().acceptExpiredVlek(true).build().verify(evidence(ok, fresh, "VLEK"), ExpectedValues.none())
                .teeClaims()).doesNotContainKeys("vlek_expired", "vlek_not_after");
    }

    @Test
    void theExpiredVlekSwitchNeverAcceptsAnExpiredVcek() throws Exception {
        SnpFixtures.Leaf vcek = PKI.leaf(false, spec.chipId, spec.tcb, SnpFixtures.NOW.minus(400, ChronoUnit.DAYS),
                SnpFixtures.NOW.minus(10, ChronoUnit.DAYS));
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        assertThatThrownBy(() -> verifier().acceptExpiredVlek(true).build().verify(evidence(r, vcek, "VCEK"),
                ExpectedValues.none())).isInstanceOf(CertificateExpired.class).hasMessageContaining("VCEK");
    }

    static String pem(java.security.cert.X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (var c : certs) {
            sb.append(Certificates.toPem(c));
        }
        return sb.toString();
    }

    @Test
    void extraAnchorsFromPemAreTriedAfterTheBuiltInOnes() throws Exception {
        SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        SnpEvidence leafOnly = evidence(r, vcek, "VCEK");
        SnpVerifier.Builder builtIn = SnpVerifier.builder().clock(AT_NOW);
        assertThatThrownBy(() -> builtIn.build().verify(leafOnly, ExpectedValues.none()))
                .isInstanceOf(ChainInvalid.class);

        // ARK and ASK in the PEM (any order): the leaf alone verifies
        AmdTrustAnchors.Additional full = AmdTrustAnchors.parsePem(
                pem(PKI.ask(), PKI.ark()).getBytes(StandardCharsets.US_ASCII), "test.pem");
        assertThat(full.generation()).isEqualTo(SnpGeneration.GENOA);
        assertThat(full.anchors().ask()).isEqualTo(PKI.ask());
        AmdTrustAnchors extended = AmdTrustAnchors.builtIn().plus(full);
        assertThat(extended.candidates(SnpGeneration.GENOA)).hasSize(2);
        assertThat(extended.candidates(SnpGeneration.MILAN)).hasSize(1);
        assertThat(SnpVerifier.builder().clock(AT_NOW).trustAnchors(extended).build().verify(leafOnly,
                ExpectedValues.none()).get("chip_id")).isEqualTo("44".repeat(64));

        // ARK only: the evidence must bring the ASK (as a host's extended report does)
        AmdTrustAnchors arkOnly = AmdTrustAnchors.builtIn().plus(AmdTrustAnchors.parsePem(
                pem(PKI.ark()).getBytes(StandardCharsets.US_ASCII), "ark.pem"));
        SnpVerifier v = SnpVerifier.builder().clock(AT_NOW).trustAnchors(arkOnly).build();
        assertThatThrownBy(() -> v.verify(leafOnly, ExpectedValues.none())).isInstanceOf(ChainInvalid.class);
        SnpEvidence withChain = new SnpEvidence(SnpReport.parse(r), List.of(
                new SnpEvidence.CertEntry("ASK", PKI.ask().getEncoded()),
                new SnpEvidence.CertEntry("ARK", PKI.ark().getEncoded()),
                new SnpEvidence.CertEntry("VCEK", vcek.cert().getEncoded())));
        assertThat(v.verify(withChain, ExpectedValues.none()).get("chip_id")).isEqualTo("44".repeat(64));
        // and the real AMD chain still verifies through the built-in set: a rogue PKI's leaf does not
        SnpFixtures rogue = new SnpFixtures(SnpGeneration.GENOA);
        SnpFixtures.Leaf rogueLeaf = rogue.vcek(spec.chipId, spec.tcb);
        byte[] rr = SnpFixtures.sign(spec.bytes(), rogueLeaf.key().getPrivate());
        assertThatThrownBy(() -> v.verify(evidence(rr, rogueLeaf, "VCEK"), ExpectedValues.none()))
                .isInstanceOf(ChainInvalid.class);
    }

    @Test
    void chainOutcomesAreRememberedWithoutChangingThem() throws Exception {
        // the test PKI is the second anchor set for Genoa: the built-in AMD set refuses its chain first, every time
        AmdTrustAnchors extended = AmdTrustAnchors.builtIn().plus(AmdTrustAnchors.parsePem(
                pem(PKI.ask(), PKI.ark()).getBytes(StandardCharsets.US_ASCII), "test.pem"));
        SnpVerifier v = SnpVerifier.builder().clock(AT_NOW).trustAnchors(extended).build();
        SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);
        for (int i = 0; i < 3; i++) {
            spec.reportData = new byte[64];
            spec.reportData[0] = (byte) i;
            byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
            assertThat(v.verify(evidence(r, vcek, "VCEK"), ExpectedValues.none()).reportData())
                    .isEqualTo(String.format("%02x", i) + "00".repeat(63));
        }
        // a rogue PKI with the same names: refused each time with the same reason, also when remembered
        SnpFixtures rogue = new SnpFixtures(SnpGeneration.GENOA);
        SnpFixtures.Leaf rogueLeaf = rogue.vcek(spec.chipId, spec.tcb);
        byte[] rr = SnpFixtures.sign(spec.bytes(), rogueLeaf.key().getPrivate());
        SnpEvidence withRogueAsk = new SnpEvidence(SnpReport.parse(rr), List.of(
                new SnpEvidence.CertEntry("ASK", rogue.ask().getEncoded()),
                new SnpEvidence.CertEntry("VCEK", rogueLeaf.cert().getEncoded())));
        String first = null;
        for (int i = 0; i < 2; i++) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> v.verify(withRogueAsk, ExpectedValues.none()));
            assertThat(t).isInstanceOf(ChainInvalid.class).hasMessageStartingWith("cert_chain: ");
            assertThat(t.getMessage()).doesNotContain("cert_chain: cert_chain");
            if (first == null) {
                first = t.getMessage();
            }
            assertThat(t.getMessage()).isEqualTo(first);
        }
    }

    @Test
    void badAnchorPemsAreRefusedWithTheirReason() {
        SnpFixtures other = new SnpFixtures(SnpGeneration.GENOA);
        assertThatThrownBy(() -> AmdTrustAnchors.parsePem(pem(PKI.ask()).getBytes(StandardCharsets.US_ASCII), "a.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.pem: no self-signed ARK");
        assertThatThrownBy(() -> AmdTrustAnchors.parsePem(pem(PKI.ark(), other.ark()).getBytes(StandardCharsets.US_ASCII),
                "b.pem")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one");
        // same names, another key: the ASK's signature by this ARK fails
        assertThatThrownBy(() -> AmdTrustAnchors.parsePem(pem(PKI.ark(), other.ask()).getBytes(StandardCharsets.US_ASCII),
                "c.pem")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> AmdTrustAnchors.parsePem("not pem".getBytes(StandardCharsets.US_ASCII), "d.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d.pem");
        SnpFixtures.Leaf leaf = PKI.vcek(spec.chipId, spec.tcb);
        assertThatThrownBy(() -> AmdTrustAnchors.parsePem(pem(PKI.ark(), leaf.cert()).getBytes(StandardCharsets.US_ASCII),
                "e.pem")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not issued by ARK-Genoa");
    }

    /** A stand-in for AMD's KDS on 127.0.0.1: serves registered paths, counts requests, 404 otherwise. */
    HttpServer kds;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startKds() throws Exception {
        kds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kds.createContext("/", ex -> {
            String pathAndQuery = ex.getRequestURI().toString();
            requests.add(pathAndQuery);
            byte[] body = served.get(pathAndQuery);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        kds.start();
    }

    @AfterEach
    void stopKds() {
        kds.stop(0);
    }

    URI kdsUri() {
        return URI.create("http://127.0.0.1:" + kds.getAddress().getPort() + "/");
    }

    @Test
    void theOnlineKdsSuppliesAMissingVcekOnceAndCachesIt() throws Exception {
        SnpFixtures.Leaf vcek = PKI.vcek(spec.chipId, spec.tcb);
        byte[] r = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        String path = "/vcek/v1/Genoa/" + "44".repeat(64) + "?blSPL=10&teeSPL=00&snpSPL=23&ucodeSPL=25";
        served.put(path, vcek.cert().getEncoded());
        KdsClient client = KdsClient.builder().baseUri(kdsUri()).rateLimit(5, Duration.ofHours(1)).build();
        SnpVerifier v = verifier().kdsClient(client).build();

        assertThat(v.verify(r, ExpectedValues.none()).get("chip_id")).isEqualTo("44".repeat(64));
        assertThat(v.verify(r, ExpectedValues.none()).get("chip_id")).isEqualTo("44".repeat(64));
        assertThat(requests).containsExactly(path);
        // without a client nothing is fetched
        assertThatThrownBy(() -> verifier().build().verify(r, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class);
        assertThat(requests).hasSize(1);
    }

    @Test
    void kdsFailuresAndTheRateLimitAreEndorsementMissing() throws Exception {
        KdsClient client = KdsClient.builder().baseUri(kdsUri()).rateLimit(2, Duration.ofHours(1)).build();
        SnpVerifier v = verifier().kdsClient(client).build();
        spec.chipId = SnpFixtures.filled(64, 0x01);
        byte[] unknownChip = spec.bytes(); // signature irrelevant: no VCEK is found
        assertThatThrownBy(() -> v.verify(unknownChip, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class).hasMessageContaining("KDS answered 404");
        spec.chipId = SnpFixtures.filled(64, 0x02);
        String path = "/vcek/v1/Genoa/" + "02".repeat(64) + "?blSPL=10&teeSPL=00&snpSPL=23&ucodeSPL=25";
        served.put(path, new byte[KdsClient.MAX_RESPONSE_BYTES + 1]);
        byte[] huge = spec.bytes();
        assertThatThrownBy(() -> v.verify(huge, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class).hasMessageContaining("larger than");
        spec.chipId = SnpFixtures.filled(64, 0x03);
        byte[] third = spec.bytes();
        assertThatThrownBy(() -> v.verify(third, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class).hasMessageContaining("rate limit");
        assertThat(requests).hasSize(2);
        // a masked chip id is never sent to the KDS
        spec.chipId = new byte[64];
        byte[] masked = spec.bytes();
        assertThatThrownBy(() -> v.verify(masked, ExpectedValues.none()))
                .isInstanceOf(EndorsementMissing.class).hasMessageContaining("masked");
        assertThat(requests).hasSize(2);
    }

    @Test
    void kdsUrlsFollowAmdsFormatPerGeneration() {
        URI base = KdsClient.AMD_KDS;
        assertThat(KdsClient.vcekUri(base, SnpGeneration.MILAN, new byte[] {(byte) 0xab, 1},
                new TcbVersion(null, 3, 0, 8, 115)).toString())
                .isEqualTo("https://kdsintf.amd.com/vcek/v1/Milan/ab01?blSPL=03&teeSPL=00&snpSPL=08&ucodeSPL=115");
        assertThat(KdsClient.vcekUri(base, SnpGeneration.TURIN, SnpFixtures.filled(8, 0x0c),
                new TcbVersion(1, 2, 0, 3, 4)).toString())
                .isEqualTo("https://kdsintf.amd.com/vcek/v1/Turin/0c0c0c0c0c0c0c0c?fmcSPL=01&blSPL=02&teeSPL=00"
                        + "&snpSPL=03&ucodeSPL=04");
        assertThatThrownBy(() -> KdsClient.builder().baseUri(URI.create("file:///etc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KdsClient.builder().rateLimit(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
