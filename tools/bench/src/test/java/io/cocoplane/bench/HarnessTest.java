package io.cocoplane.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness logic only (statistics, parsing, report files, the OCI layout writer); no benchmark runs here. */
class HarnessTest {

    @TempDir
    Path tmp;

    @Test
    void medianOfOddAndEvenCountsAndRatio() {
        assertThat(Stats.median(5, 1, 3)).isEqualTo(3);
        assertThat(Stats.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Stats.median(7)).isEqualTo(7);
        assertThatThrownBy(Stats::median).isInstanceOf(IllegalArgumentException.class);
        assertThat(Stats.ratio(9, 10)).isEqualTo(0.9);
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.round(0.123456, 3)).isEqualTo(0.123);
    }

    @Test
    void targetsAtMostAndAtLeast() {
        assertThat(Target.atMost(0.9).met(0.9)).isTrue();
        assertThat(Target.atMost(0.9).met(0.91)).isFalse();
        assertThat(Target.atLeast(2000).met(1999.9)).isFalse();
        assertThat(Target.atLeast(0.8).met(Double.NaN)).isFalse();
        assertThat(Target.atMost(512).toString()).isEqualTo("≤ 512");
    }

    @Test
    void parsesVmRssLoadAverageAndCheckpointNotes() {
        assertThat(RssSampler.vmRssKiB("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  524288 kB\nRssAnon: 1 kB\n"))
                .isEqualTo(524288);
        assertThatThrownBy(() -> RssSampler.vmRssKiB("Name: x\n")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LoadAverage.parse("1.52 1.80 2.01 3/700 12345\n")).isEqualTo("1.52 1.80 2.01");
        assertThat(AuditBench.noteTreeSize("cocoplane.local/audit\n20000\nq83b...=\n\n— cocoplane.local/audit x\n"))
                .isEqualTo(20000);
    }

    @Test
    void steadyRateIgnoresTheTimeBeforeTheFirstAppend() {
        List<long[]> progress = List.of(new long[] {0, 0}, new long[] {2_000_000_000L, 1000},
                new long[] {4_000_000_000L, 5000});
        assertThat(AuditBench.steadyRate(progress)).isEqualTo(2000.0);
        assertThat(AuditBench.steadyRate(List.of(new long[] {0, 0}))).isNaN();
    }

    @Test
    void reportWritesJsonAndAppendsMarkdown() throws Exception {
        Report r = new Report("demo", "Demo").config("runs", 5)
                .figure("push ratio ours/theirs", 0.75, "", Target.atMost(0.9))
                .figure("peak RSS", 600, "MiB", Target.atMost(512)).figure("info", 1.5, "s", null).finish();
        assertThat(r.allTargetsMet()).isFalse();
        LocalDate d = LocalDate.of(2026, 1, 2);
        Path json = r.write(tmp, d);
        new Report("other", "Other").figure("x", 1, "", null).finish().write(tmp, d);
        assertThat(json.getFileName().toString()).isEqualTo("2026-01-02.json");
        String j = Files.readString(json);
        assertThat(j).contains("\"demo\" : {", "\"other\" : {", "\"benchmark\" : \"demo\"", "\"met\" : true",
                "\"met\" : false", "\"ofTarget\" : 1.172", "\"loadAverageBefore\"");
        // a second run of one benchmark replaces its entry and keeps the others
        new Report("demo", "Demo again").figure("y", 2, "", null).finish().write(tmp, d);
        String again = Files.readString(json);
        assertThat(again).contains("\"title\" : \"Demo again\"", "\"benchmark\" : \"other\"")
                .doesNotContain("push ratio ours/theirs");
        String md = Files.readString(tmp.resolve("2026-01-02.md"));
        assertThat(md).startsWith("# cocoplane benchmarks 2026-01-02").contains("## Demo", "## Other",
                "| push ratio ours/theirs | 0.750 | ≤ 0.9 | 0.83× | yes |",
                "| peak RSS | 600 MiB | ≤ 512 | 1.17× | **no** |");
        assertThat(r.text()).contains("NOT MET");
    }

    @Test
    void figuresShowTheirLimitOrPeerAndTheRatioToIt() {
        Report r = new Report("prims", "Prims")
                .figure("SHA-256", 1200, "MiB/s", null, new Report.Reference("OpenSSL SHA-256", 1500))
                .figure("plain", 3, "ops/s", null).finish();
        assertThat(r.figures().get(0).ofReference()).isEqualTo(0.8);
        assertThat(r.figures().get(1).ofReference()).isNaN();
        assertThat(r.markdown()).contains("| figure | value | target | of target | met | limit or peer | of it |",
                "| SHA-256 | 1200 MiB/s |  |  |  | OpenSSL SHA-256: 1500 MiB/s | 0.80× |", "| plain | 3 ops/s |  |  |  |  |  |");
        assertThat(r.json()).contains("\"reference\" : \"OpenSSL SHA-256\"", "\"ofReference\" : 0.8");
        assertThat(r.text()).contains("0.80x of OpenSSL SHA-256 (1500)");
        // a count that must be 0 has no finite ratio: an empty cell, never NaN
        String zero = new Report("z", "Z").figure("errors", 0, "", Target.atMost(0)).markdown();
        assertThat(zero).contains("| errors | 0 | ≤ 0 |  | yes |").doesNotContain("NaN").doesNotContain("Config:");
        assertThat(Machine.memTotalKiB("24609700 kB")).isEqualTo(24609700);
        assertThatThrownBy(() -> Machine.memTotalKiB("24 MB")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Machine.describe()).contains(LoadAverage.cpus() + " CPUs", "JDK " + Runtime.version());
        // a report without references keeps the five columns
        assertThat(new Report("x", "X").figure("a", 1, "", null).markdown())
                .contains("| figure | value | target | of target | met |\n").doesNotContain("limit or peer");
    }

    @Test
    void primitiveReferencesComeFromTheirLimitBenchmarksAndOpenSsl() {
        String sha = "+DT:sha256:3:1048576\n+R:3339:sha256:3.000000\n+H:1048576\n+F:25:sha256:1556086784.00\n";
        String ecdsa = "+R5:502:384:0.70\n+DTP:384:verify:ecdsa:1\n+R6:605:384:0.62\n+F4:4:384:717.142857:975.806452\n";
        assertThat(OpenSslSpeed.digestBytesPerSecond(sha, "sha256")).isEqualTo(1556086784.0);
        assertThat(OpenSslSpeed.ecdsaVerifiesPerSecond(ecdsa, 384)).isEqualTo(975.806452);
        assertThatThrownBy(() -> OpenSslSpeed.ecdsaVerifiesPerSecond(ecdsa, 256))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("256 bits");
        var scores = new java.util.HashMap<String, Double>();
        scores.put("limitP256Verify", 2000.0);
        scores.put("limitAes256Ctr", 1000.0);
        scores.put("limitHmacSha256", 500.0);
        scores.put("sha256", 1000.0);
        scores.put("p384Verify", 300.0);
        assertThat(PrimitivesBench.reference("tdxVerify", scores)).isEqualTo(500.0);
        // each pass over the layer adds its time per MiB: decryption AES 1 ms + HMAC 2 ms + plain digest 1 ms,
        // encryption also the ciphertext digest
        assertThat(PrimitivesBench.reference("ocicryptDecrypt", scores)).isEqualTo(250.0);
        assertThat(PrimitivesBench.reference("ocicryptEncrypt", scores)).isEqualTo(200.0);
        assertThat(PrimitivesBench.reference("snpVerify", scores)).isEqualTo(300.0);
        assertThat(PrimitivesBench.reference("sha256", scores)).isNull();
        assertThat(PrimitivesBench.REFERENCES.keySet()).isEqualTo(PrimitivesBench.NAMES.keySet());
    }

    @Test
    void tarLayerIsBlockAlignedWithAValidHeaderChecksum() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = OciImage.writeTar(out, "bench.bin", 1000, new SplittableRandom(1));
        byte[] tar = out.toByteArray();
        assertThat(tar.length).isEqualTo(n).isEqualTo(512 + 1024 + 1024);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xff;
        }
        String stored = new String(tar, 148, 6, StandardCharsets.US_ASCII);
        assertThat(Long.parseLong(stored, 8)).isEqualTo(sum);
        assertThat(new String(tar, 124, 11, StandardCharsets.US_ASCII)).isEqualTo(String.format("%011o", 1000));
        assertThat(new String(tar, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
    }

    @Test
    void ociLayoutHasIndexManifestAndContentAddressedBlobs() throws Exception {
        OciImage.Built b = OciImage.write(tmp.resolve("img"), "bench", 4096, 42);
        Path blobs = tmp.resolve("img/blobs/sha256");
        assertThat(Files.size(blobs.resolve(b.layerDigest().substring(7)))).isEqualTo(b.layerSize());
        assertThat(Files.readString(tmp.resolve("img/index.json"))).contains(b.manifestDigest(),
                "\"org.opencontainers.image.ref.name\":\"bench\"");
        byte[] manifest = Files.readAllBytes(blobs.resolve(b.manifestDigest().substring(7)));
        assertThat(java.util.HexFormat.of().formatHex(OciImage.sha256().digest(manifest)))
                .isEqualTo(b.manifestDigest().substring(7));
        assertThat(new String(manifest, StandardCharsets.UTF_8)).contains(b.layerDigest(), OciImage.LAYER_TYPE);
    }

    @Test
    void fixedRateStartsExactlyTheScheduledArrivalsAndCountsErrors() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // 100/s: 20 arrivals in the 200 ms warm-up (4 fail), 50 in the 500 ms window (10 fail): every 5th fails
        Load.Result r = Load.fixedRate(100, 1, 200_000_000L, 500_000_000L, w -> { // one thread: calls in arrival order
            if (calls.incrementAndGet() % 5 == 0) {
                throw new IllegalStateException("boom");
            }
        });
        assertThat(calls.get()).isEqualTo(70);
        assertThat(r.operations() + r.errors()).isEqualTo(50);
        assertThat(r.errors()).isEqualTo(10);
        assertThat(r.latency().getTotalCount()).isEqualTo(40);
        assertThat(r.firstError()).contains("boom");
        assertThat(r.perSecond()).isEqualTo(80.0);
        assertThatThrownBy(() -> Load.fixedRate(0, 1, 0, 1, w -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedLoopGivesEachWorkerItsIndexAndRecordsOnlySuccesses() throws Exception {
        java.util.Set<Integer> workers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Load.Result r = Load.closed(3, 0, 1_000_000_000L, w -> {
            workers.add(w);
            Thread.sleep(1);
        });
        assertThat(workers).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(r.errors()).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(r.operations()).isPositive();
        Load.Result failing = Load.closed(1, 0, 50_000_000L, w -> {
            Thread.sleep(1);
            throw new java.io.IOException("down");
        });
        assertThat(failing.operations()).isZero();
        assertThat(failing.errors()).isPositive();
        assertThat(failing.ms(99)).isNaN();
        assertThat(failing.firstError()).isEqualTo("java.io.IOException: down");
    }

    @Test
    void snpAttesterBindsTheRuntimeDataDigestAndTheInitDataDigest() throws Exception {
        io.cocoplane.teeevidence.snp.SnpFixtures pki = new io.cocoplane.teeevidence.snp.SnpFixtures(
                io.cocoplane.teeevidence.snp.SnpGeneration.GENOA);
        byte[] initData = OciImage.sha256().digest("init".getBytes(StandardCharsets.UTF_8));
        KbsBench.SnpAttester attester = new KbsBench.SnpAttester(pki, initData);
        byte[] digest = new byte[48];
        new SplittableRandom(3).nextBytes(digest);
        var evidence = attester.primaryEvidence(new io.cocoplane.kbsprotocol.EvidenceRequest("nonce",
                io.cocoplane.kbsprotocol.HashAlgorithm.SHA384, digest, "{}"));
        var verifier = io.cocoplane.teeevidence.snp.SnpVerifier.builder().trustAnchors(pki.anchors()).build();
        byte[] json = evidence.toString().getBytes(StandardCharsets.UTF_8);
        var claims = verifier.verify(json, io.cocoplane.teeevidence.ExpectedValues.reportData(
                java.util.Arrays.copyOf(digest, 64)).withInitDataDigest(initData));
        assertThat(claims.reportData()).isEqualTo(java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(digest,
                64)));
        assertThat(claims.initData()).isEqualTo(java.util.HexFormat.of().formatHex(initData));
        byte[] other = digest.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> verifier.verify(json, io.cocoplane.teeevidence.ExpectedValues.reportData(
                java.util.Arrays.copyOf(other, 64)))).isInstanceOf(
                        io.cocoplane.teeevidence.EvidenceRefusedException.class);
        assertThat(attester.tee()).isEqualTo(io.cocoplane.kbsprotocol.Tee.SNP);
    }
}
