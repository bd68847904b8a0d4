package io.cocoplane.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SnpVerifyBenchmark} through the JMH API and reports ops/s and the ratio SNP / raw P-384.
 *
 * <p>On a shared, loaded machine the load changes within seconds, so the two benchmarks are measured in alternating
 * rounds (one fork each, raw P-384 then SNP); the ratio is computed per round and its median reported, beside the
 * median ops/s of each.
 */
final class SnpBench {

    private SnpBench() {
    }

    static Report run(Settings s) throws Exception {
        int rounds = s.quick() ? 1 : 5;
        int warmups = s.quick() ? 1 : 2;
        int iterations = s.quick() ? 2 : 5;
        TimeValue it = s.jmhIteration();
        Report report = new Report("snp", "SNP verify vs raw ECDSA P-384 (issue 4)")
                .config("jmh", "throughput, " + rounds + " alternating rounds of " + s.jmhForks() + " fork(s) per benchmark, " + warmups
                        + "x" + it + " warm-up, " + iterations + "x" + it + " measurement, 1 thread")
                .config("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        List<Double> snp = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Map<String, Object>> perRound = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double r = score(SnpVerifyBenchmark.class.getName() + ".p384Verify$", warmups, iterations, it, s.jmhForks());
            double v = score(SnpVerifyBenchmark.class.getName() + ".snpVerify$", warmups, iterations, it, s.jmhForks());
            raw.add(r);
            snp.add(v);
            ratios.add(Stats.ratio(v, r));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p384Verify", Stats.round(r, 1));
            m.put("snpVerify", Stats.round(v, 1));
            m.put("ratio", Stats.round(Stats.ratio(v, r), 3));
            m.put("load", LoadAverage.now());
            perRound.add(m);
            System.out.printf("  round %d: P-384 %.1f ops/s, SNP %.1f ops/s, ratio %.3f (load %s)%n", round, r, v,
                    Stats.ratio(v, r), LoadAverage.now());
        }
        report.figure("SNP evidence verify (cached chain), median", Stats.round(Stats.median(snp), 1), "ops/s", null)
                .figure("raw ECDSA P-384 verify (JDK), median", Stats.round(Stats.median(raw), 1), "ops/s", null)
                .figure("ratio SNP / P-384, median of rounds", Stats.round(Stats.median(ratios), 3), "",
                        Target.atLeast(0.8))
                .raw("rounds", perRound);
        return report.finish();
    }


    static double score(String include, int warmups, int iterations, TimeValue iteration, int forks)
            throws Exception {
        for (double score : scores(include, warmups, iterations, iteration, forks).values()) {
            return score;
        }
        throw new IllegalStateException("JMH ran nothing for " + include);
    }

    /**
     * @return ops/s of every benchmark method matching {@code include} (one thread, one fork each), by method name,
     *         in JMH's run order
     */
    static Map<String, Double> scores(String include, int warmups, int iterations, TimeValue iteration, int forks)
            throws Exception {
        var o = new OptionsBuilder().include(include).forks(forks).warmupIterations(warmups)
                .warmupTime(iteration).measurementIterations(iterations)
                .measurementTime(iteration).threads(1).shouldFailOnError(true).verbosity(
                        org.openjdk.jmh.runner.options.VerboseMode.SILENT).build();
        Map<String, Double> out = new LinkedHashMap<>();
        for (RunResult r : new Runner(o).run()) {
            String name = r.getParams().getBenchmark();
            out.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("JMH ran nothing for " + include);
        }
        return out;
    }
}
