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
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.cocoplane.testkit.SharedTestData;

/**
 * Runs {@link PrimitivesBenchmark} and {@link SnpVerifyBenchmark} through the JMH API (one fork each, one thread) and
 * reports each primitive in ops/s, the byte-stream ones also in MiB/s. The TDX benchmark needs the real quote from
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

    private PrimitivesBench() {
    }

    static Report run(Settings s) throws Exception {
        int warmups = s.quick() ? 1 : 3;
        int iterations = s.quick() ? 1 : 5;
        Report report = new Report("primitives", "Primitives on the hot paths, JMH (issue 10)")
                .config("jmh", "throughput, 1 fork, " + warmups + "x1s warm-up, " + iterations
                        + "x1s measurement, 1 thread")
                .config("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        Optional<Path> testdata = SharedTestData.root();
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(PrimitivesBenchmark.class.getName() + "\\.")
                .include(SnpVerifyBenchmark.class.getName() + "\\.")
                .forks(1).warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1)).threads(1)
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
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : NAMES.entrySet()) {
            Double v = scores.get(e.getKey());
            if (v == null) {
                missing.add(e.getKey());
                continue;
            }
            if (PER_MIB.contains(e.getKey())) {
                report.figure(e.getValue(), Stats.round(v * PrimitivesBenchmark.LAYER_BYTES / 1048576.0, 1), "MiB/s",
                        null);
            } else {
                report.figure(e.getValue(), Stats.round(v, 1), "ops/s", null);
            }
        }
        Double snp = scores.get("snpVerify");
        Double p384 = scores.get("p384Verify");
        if (snp != null && p384 != null) {
            report.figure("ratio SNP verify / P-384 verify", Stats.round(Stats.ratio(snp, p384), 3), "",
                    Target.atLeast(0.8));
        }
        if (!missing.isEmpty() && testdata.isPresent()) {
            report.note("no result for " + missing);
        }
        return report.finish();
    }
}
