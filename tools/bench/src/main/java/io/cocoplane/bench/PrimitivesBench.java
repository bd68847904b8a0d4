package io.cocoplane.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.cocoplane.testkit.SharedTestData;

/**
 * Runs {@link PrimitivesBenchmark} and {@link SnpVerifyBenchmark} through the JMH API (one fork each; in quick mode
 * none, in the harness JVM; one thread) and
 * reports each primitive in ops/s, the byte-stream ones in MiB/s, each with its limit or peer ({@link #REFERENCES}):
 * the bare JDK primitive it is made of (the {@code limit*} benchmarks, same run) or OpenSSL's {@code speed} for the
 * same operation ({@link OpenSslSpeed}; left out with a note when openssl is not installed). The TDX benchmark needs the real quote from
 * {@code shared/testdata} (found as libs/testkit finds it, or {@code -Dcocoplane.shared.testdata=DIR}); without it,
 * it is left out with a note.
 */
final class PrimitivesBench {

    /** benchmark method → figure name, in report order; the MiB/s ones process 1 MiB per operation. */
    static final Map<String, String> NAMES = new LinkedHashMap<>();
    static final List<String> PER_MIB = List.of("ocicryptEncrypt", "ocicryptDecrypt", "sha256");

    static {
        NAMES.put("p384Verify", "ECDSA P-384 verify (JDK)");
        NAMES.put("snpVerify", "SNP evidence verify, cached chain");
        NAMES.put("tdxVerify", "TDX quote verify (real v4 quote)");
        NAMES.put("jweResponseBuild", "JWE resource response build (ECDH-ES+A256KW, P-256)");
        NAMES.put("jcsRuntimeDataHash", "JCS runtime-data hash (SHA-384)");
        NAMES.put("merkleAppend", "Merkle append (in memory)");
        NAMES.put("merkleInclusionProof", "Merkle inclusion proof (65,536 leaves)");
        NAMES.put("ocicryptEncrypt", "ocicrypt layer encrypt");
        NAMES.put("ocicryptDecrypt", "ocicrypt layer decrypt");
        NAMES.put("sha256", "SHA-256");
    }

    /** benchmark method → what its reference is (the reference's value comes from {@link #reference}). */
    static final Map<String, String> REFERENCES = new LinkedHashMap<>();

    static {
        REFERENCES.put("p384Verify", "OpenSSL P-384 verify");
        REFERENCES.put("snpVerify", "JDK P-384 verify");
        REFERENCES.put("tdxVerify", "JDK P-256 verify / " + PrimitivesBenchmark.TDX_SIGNATURES);
        REFERENCES.put("jweResponseBuild", "JDK ephemeral P-256 key pair + ECDH");
        REFERENCES.put("jcsRuntimeDataHash", "SHA-384 of the canonical bytes");
        REFERENCES.put("merkleAppend", "leaf + 1 inner SHA-256");
        REFERENCES.put("merkleInclusionProof", "peer: the client's proof verification");
        REFERENCES.put("ocicryptEncrypt", "JDK AES-256-CTR + HMAC-SHA256 + 2 SHA-256 (plain and cipher digests)");
        REFERENCES.put("ocicryptDecrypt", "JDK AES-256-CTR + HMAC-SHA256 + SHA-256 (plain digest)");
        REFERENCES.put("sha256", "OpenSSL SHA-256");
    }

    private PrimitivesBench() {
    }

    static Report run(Settings s) throws Exception {
        int warmups = s.quick() ? 1 : 3;
        int iterations = s.quick() ? 1 : 5;
        Report report = new Report("primitives", "Primitives on the hot paths, JMH (issue 10)")
                .config("jmh", "throughput, " + s.jmhForks() + " fork(s), " + warmups + "x" + s.jmhIteration() + " warm-up, " + iterations
                        + "x" + s.jmhIteration() + " measurement, 1 thread")
                .config("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        Optional<Path> testdata = SharedTestData.root();
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(PrimitivesBenchmark.class.getName() + "\\.")
                .include(SnpVerifyBenchmark.class.getName() + "\\.")
                .forks(s.jmhForks()).warmupIterations(warmups).warmupTime(s.jmhIteration())
                .measurementIterations(iterations).measurementTime(s.jmhIteration()).threads(1)
                .shouldFailOnError(true).verbosity(VerboseMode.SILENT);
        if (testdata.isPresent()) {
            o.jvmArgsAppend("-D" + SharedTestData.PROPERTY + "=" + testdata.get());
        } else {
            o.exclude(PrimitivesBenchmark.class.getName() + "\\.tdxVerify");
            report.note("TDX quote verify skipped: shared/testdata not found beside the clone (set -D"
                    + SharedTestData.PROPERTY + "=DIR in BENCH_JAVA_OPTS)");
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : new Runner(o.build()).run()) {
            String label = r.getParams().getBenchmark();
            scores.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        Optional<String> openssl = OpenSslSpeed.version();
        if (openssl.isPresent()) {
            int seconds = s.quick() ? 1 : 3;
            scores.put("opensslSha256MiBps", OpenSslSpeed.sha256MiBps(seconds));
            scores.put("opensslP384Verify", OpenSslSpeed.p384VerifiesPerSecond(seconds));
            report.config("peer", openssl.get() + ", openssl speed -mr -seconds " + seconds);
        } else {
            report.note("OpenSSL peer figures left out: " + OpenSslSpeed.OPENSSL + " is not installed");
        }
        Map<String, Object> rawScores = new LinkedHashMap<>();
        scores.forEach((k, v) -> rawScores.put(k, Stats.round(v, 2)));
        report.raw("scores", rawScores);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : NAMES.entrySet()) {
            Double v = scores.get(e.getKey());
            if (v == null) {
                missing.add(e.getKey());
                continue;
            }
            Double ref = reference(e.getKey(), scores);
            Report.Reference reference = ref == null ? null
                    : new Report.Reference(REFERENCES.get(e.getKey()), Stats.round(ref, 1));
            if (PER_MIB.contains(e.getKey())) {
                report.figure(e.getValue(), Stats.round(mibPerSecond(v), 1), "MiB/s", null, reference);
            } else {
                report.figure(e.getValue(), Stats.round(v, 1), "ops/s", null, reference);
            }
        }
        Double snp = scores.get("snpVerify");
        Double p384 = scores.get("p384Verify");
        if (snp != null && p384 != null) {
            report.figure("ratio SNP verify / P-384 verify", Stats.round(Stats.ratio(snp, p384), 3), "",
                    Target.atLeast(0.8));
        }
        if (s.quick()) {
            report.note("quick mode: one 500 ms warm-up per benchmark, all in the harness JVM, so the slower-compiling "
                    + "ones (P-384, SNP) can read low; the snp benchmark measures the SNP / P-384 target in "
                    + "alternating rounds");
        }
        if (!missing.isEmpty() && testdata.isPresent()) {
            report.note("no result for " + missing);
        }
        return report.finish();
    }

    /**
     * @param method a benchmark method of {@link #NAMES}
     * @param scores ops/s by benchmark method (the {@code limit*} ones included), and the OpenSSL peers
     *               ({@code opensslSha256MiBps}, {@code opensslP384Verify}) when measured
     * @return the figure's limit or peer in the figure's unit (ops/s, or MiB/s for {@link #PER_MIB}), or null when
     *         its inputs were not measured
     */
    static Double reference(String method, Map<String, Double> scores) {
        return switch (method) {
            case "p384Verify" -> scores.get("opensslP384Verify");
            case "snpVerify" -> scores.get("p384Verify");
            case "tdxVerify" -> divide(scores.get("limitP256Verify"), PrimitivesBenchmark.TDX_SIGNATURES);
            case "jweResponseBuild" -> scores.get("limitEphemeralEcdh");
            case "jcsRuntimeDataHash" -> scores.get("limitSha384Canonical");
            case "merkleAppend" -> scores.get("limitMerkleAppendHashes");
            case "merkleInclusionProof" -> scores.get("limitMerkleProofVerify");
            case "ocicryptEncrypt", "ocicryptDecrypt" -> {
                Double aes = scores.get("limitAes256Ctr");
                Double mac = scores.get("limitHmacSha256");
                Double sha = scores.get("sha256");
                // one pass of each over the same bytes: their times per MiB add up; encryption also digests the
                // ciphertext (the layer descriptor's digest), both digest the plaintext (the diff_id)
                int digests = method.equals("ocicryptEncrypt") ? 2 : 1;
                yield aes == null || mac == null || sha == null ? null
                        : mibPerSecond(1 / (1 / aes + 1 / mac + digests / sha));
            }
            case "sha256" -> scores.get("opensslSha256MiBps");
            default -> null;
        };
    }

    private static Double divide(Double v, int by) {
        return v == null ? null : v / by;
    }

    private static double mibPerSecond(double opsPerSecond) {
        return opsPerSecond * PrimitivesBenchmark.LAYER_BYTES / 1048576.0;
    }
}
