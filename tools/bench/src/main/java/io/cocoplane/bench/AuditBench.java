package io.cocoplane.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.KeyResourceDeleted;
import io.cocoplane.contracts.PolicyUpdated;
import io.cocoplane.contracts.ReferenceValueUpdated;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.contracts.WorkloadStateChanged;

/**
 * Issue 7: end-to-end append throughput of the audit service (its exec jar, own JVM, default 1 s checkpoints) and
 * the latency of its inclusion and consistency proof endpoints.
 *
 * <p>N catalogue events (CloudEvents binary mode, as the outbox relay writes them) are produced onto the five audited
 * topics as fast as the producer goes; appends/s = N / (time from the first send until {@code GET
 * /api/v1/audit/checkpoint} reports tree size N). Then one client asks for proofs back to back.
 */
final class AuditBench {

    private AuditBench() {
    }

    static Report run(Settings s) throws Exception {
        int n = s.quick() ? 5_000 : 20_000;
        int proofs = s.quick() ? 500 : 2_000;
        int warmup = s.quick() ? 100 : 300;
        int warmEvents = s.quick() ? 1_000 : 20_000;
        Report report = new Report("audit", "Audit appends and proof latency (issue 7)")
                .config("events", n).config("warmupEvents", warmEvents)
                .config("proofRequestsEach", proofs).config("proofWarmupEach", warmup)
                .config("checkpointInterval", "1s (service default)");
        Path jar = s.serviceJar("audit");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": ./mvnw -q -pl services/audit -am package -DskipTests");
        }
        Path work = Files.createTempDirectory("cocoplane-bench-audit-");
        Path log = work.resolve("audit.log");
        Process audit = null;
        RssSampler rss = null;
        try (Infra infra = new Infra()) {
            int port = Procs.freePort();
            List<String> cmd = new ArrayList<>(List.of(Procs.java()));
            cmd.addAll(Procs.javaOpts("BENCH_AUDIT_JAVA_OPTS"));
            cmd.addAll(RegistryBench.javaMain(jar, "io.cocoplane.audit.AuditApplication"));
            cmd.add("--server.port=" + port);
            cmd.addAll(infra.springArgs("audit"));
            cmd.add("--logging.level.root=WARN");
            audit = Procs.start(cmd, log);
            rss = new RssSampler(audit.pid());
            String base = "http://127.0.0.1:" + port + "/api/v1/audit";
            Procs.awaitHttp(audit, base + "/public-key", 200, Duration.ofMinutes(3), log);

            report.config("producer", "acks=all linger.ms=5 batch.size=128KiB");
            // a running audit service is warm: the JIT has compiled the ingest path before the clock starts (on a
            // cold JVM most of the CPU goes to the C1/C2 compiler threads, not to appending)
            try (KafkaProducer<String, byte[]> producer = Events.producer(infra.bootstrap(), 5, 131072)) {
                for (ProducerRecord<String, byte[]> r : records(warmEvents)) {
                    producer.send(r);
                }
                producer.flush();
            }
            long warmDeadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (checkpointSize(base) < warmEvents) {
                if (System.nanoTime() > warmDeadline || !audit.isAlive()) {
                    throw new IllegalStateException("warm-up: tree size " + checkpointSize(base) + " of "
                            + warmEvents + " after 5 min; see " + log);
                }
                Thread.sleep(250);
            }
            long base0 = checkpointSize(base);

            List<ProducerRecord<String, byte[]>> records = records(n);
            List<long[]> progress = new ArrayList<>(); // {nanos since start, tree size}
            long t0;
            long tProduced;
            double cpu0 = Procs.cpuSeconds(audit.pid());
            try (KafkaProducer<String, byte[]> producer = Events.producer(infra.bootstrap(), 5, 131072)) {
                producer.partitionsFor(records.get(0).topic()); // metadata before the clock starts
                t0 = System.nanoTime();
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(r);
                }
                producer.flush();
                tProduced = System.nanoTime();
            }
            long deadline = t0 + Duration.ofSeconds(Math.max(180, n / 40)).toNanos();
            long size = -1;
            long tDone = 0;
            while (System.nanoTime() < deadline) {
                long now = System.nanoTime();
                long cs = checkpointSize(base) - base0;
                if (cs != size) {
                    size = cs;
                    progress.add(new long[] {now - t0, cs});
                }
                if (cs >= n) {
                    tDone = now;
                    break;
                }
                if (!audit.isAlive()) {
                    throw new IllegalStateException("audit exited; see " + log + "\n" + Procs.tail(log, 30));
                }
                Thread.sleep(100); // 10 polls/s: the audit JVM's cost of answering stays negligible
            }
            double cpu = Procs.cpuSeconds(audit.pid()) - cpu0;
            long appended = n;
            if (tDone == 0) { // too slow to finish: report the rate reached, and prove against what was checkpointed
                if (size < 2) {
                    throw new IllegalStateException("tree size " + size + " at the deadline; see " + log);
                }
                appended = size;
                tDone = t0 + progress.get(progress.size() - 1)[0];
                report.note("deadline reached at tree size " + size + " of " + n + "; rates over what was appended");
            }
            double elapsed = (tDone - t0) / 1e9;
            double rate = appended / elapsed;
            final long treeSize = base0 + appended;
            double steady = steadyRate(progress);

            Histogram inclusion = new Histogram(3);
            Histogram consistency = new Histogram(3);
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < warmup + proofs; i++) {
                long idx = rnd.nextLong(treeSize);
                timed(base + "/proofs/inclusion?index=" + idx + "&treeSize=" + treeSize,
                        i < warmup ? null : inclusion);
                long from = 1 + rnd.nextLong(treeSize - 1);
                timed(base + "/proofs/consistency?from=" + from + "&to=" + treeSize,
                        i < warmup ? null : consistency);
            }
            report.figure("appends/s end to end", Stats.round(rate, 1), "/s", Target.atLeast(2000))
                    .figure("appends/s between first and last checkpoint", Stats.round(steady, 1), "/s", null)
                    .figure("audit JVM CPU per 1,000 appends", Stats.round(1000 * cpu / appended * 1000, 1), "ms",
                            null)
                    .figure("time to tree size N", Stats.round(elapsed, 3), "s", null)
                    .figure("time to produce N", Stats.round((tProduced - t0) / 1e9, 3), "s", null)
                    .figure("inclusion proof p50", ms(inclusion.getValueAtPercentile(50)), "ms", null)
                    .figure("inclusion proof p99", ms(inclusion.getValueAtPercentile(99)), "ms", null)
                    .figure("inclusion proof max", ms(inclusion.getMaxValue()), "ms", null)
                    .figure("consistency proof p50", ms(consistency.getValueAtPercentile(50)), "ms", null)
                    .figure("consistency proof p99", ms(consistency.getValueAtPercentile(99)), "ms", null)
                    .figure("consistency proof max", ms(consistency.getMaxValue()), "ms", null)
                    .figure("peak RSS, audit", Stats.round(rss.peakMiB(), 1), "MiB", null)
                    .raw("checkpointProgress", progress.stream()
                            .map(a -> Map.of("seconds", Stats.round(a[0] / 1e9, 3), "treeSize", a[1])).toList())
                    .note("end-to-end time includes the consumer picking the records up and up to one checkpoint "
                            + "interval (1 s) before the size shows; proofs: one client, sequential, HTTP/1.1 keep-alive");
            report.finish();
            Procs.deleteTree(work);
            return report;
        } finally {
            if (rss != null) {
                rss.close();
            }
            Procs.stop(audit);
            if (Files.exists(work)) {
                System.err.println("audit bench: log left in " + log);
            }
        }
    }

    /** Appends/s between the first checkpoint that showed progress and the one that reached N. */
    static double steadyRate(List<long[]> progress) {
        long[] first = null;
        for (long[] a : progress) {
            if (a[1] > 0) {
                first = a;
                break;
            }
        }
        long[] last = progress.isEmpty() ? null : progress.get(progress.size() - 1);
        if (first == null || last == first || last[0] == first[0]) {
            return Double.NaN;
        }
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    /** @return the tree size of the latest checkpoint note (its second line), or 0 before the first */
    static long checkpointSize(String base) throws Exception {
        HttpResponse<String> r = Procs.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/checkpoint"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return 0;
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("checkpoint answered " + r.statusCode() + ": " + r.body());
        }
        return noteTreeSize(r.body());
    }

    static long noteTreeSize(String note) {
        String[] lines = note.split("\n", 3);
        if (lines.length < 2) {
            throw new IllegalArgumentException("not a checkpoint note: " + note);
        }
        return Long.parseLong(lines[1].trim());
    }

    private static void timed(String url, Histogram h) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        long t = System.nanoTime();
        HttpResponse<byte[]> r = Procs.HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        long us = (System.nanoTime() - t) / 1000;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        if (h != null) {
            h.recordValue(Math.max(1, us));
        }
    }

    private static double ms(long micros) {
        return Stats.round(micros / 1000.0, 3);
    }

    /** N ready-to-send records cycling over six event types on the five audited topics; unique subjects. */
    static List<ProducerRecord<String, byte[]>> records(int n) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Events.record(event(run, i), "/cocoplane/bench"));
        }
        return out;
    }

    static CocoEvent event(String run, int i) {
        String s = run + "-" + i;
        return switch (i % 6) {
            case 0 -> new WorkloadRequested("wl-" + s, "llm", "default", "registry.local/llm:1", "snp", List.of(),
                    new AgentPolicyOptions(false, false), null, "bench");
            case 1 -> new WorkloadStateChanged("wl-" + s, null, "SCHEDULED", null, "bench");
            case 2 -> new ImageDeleted("repo-" + s, "sha256:" + "ab".repeat(32), List.of("v1", "latest"));
            case 3 -> new ReferenceValueUpdated("rv-" + s, "admin", "sha256:" + "cd".repeat(32));
            case 4 -> new KeyResourceDeleted("default/kek/" + s, "admin");
            default -> new PolicyUpdated("policy-" + s, "resource", "admin", "sha256:" + "ef".repeat(32));
        };
    }
}
