package io.cocoplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code BenchMain [--quick] [--results DIR] [primitives|snp|kbs|events|audit|registry|all]...}: runs the benchmarks
 * (in that order, whatever the order of the arguments), prints their figures and writes them into
 * {@code <results>/<date>.json} (one entry per benchmark) and {@code <results>/<date>.md} (one section per run). The
 * benchmarks on the local stack ({@link #ON_STACK}) share one {@link BenchStack}, whose start time and memory are
 * reported as benchmark {@code stack} (and {@code stack-after}, once the last of them has run; the stack is then
 * stopped, so the benchmarks after it do not share the machine with an idle stack). The last line gives the run's
 * wall-clock seconds and each benchmark's share (the stack's start and stop apart). Exit status 0 when every
 * benchmark ran (targets missed are reported, not failures), 1 when one failed, 2 for bad usage.
 */
public final class BenchMain {

    static final List<String> ALL = List.of("primitives", "snp", "kbs", "events", "audit", "registry");
    /** The benchmarks that run against the local stack ({@link BenchStack}, started once for all of them). */
    static final List<String> ON_STACK = List.of("kbs", "events");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path results = null;
        List<String> which = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--results" -> results = Path.of(args[++i]);
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                case "all" -> which.addAll(ALL);
                default -> {
                    if (!ALL.contains(args[i])) {
                        System.err.println("unknown argument: " + args[i]);
                        usage();
                        System.exit(2);
                    }
                    which.add(args[i]);
                }
            }
        }
        if (which.isEmpty()) {
            which.addAll(ALL);
        }
        Path root = repoRoot();
        if (results == null) {
            results = root.resolve("bench/results");
        }
        Settings s = new Settings(root, results, quick, LocalDate.now());
        List<String> run = ALL.stream().filter(which::contains).toList();
        int failed = 0;
        long runStart = System.nanoTime();
        String lastOnStack = run.stream().filter(ON_STACK::contains).reduce((a, b) -> b).orElse("");
        Map<String, Long> seconds = new LinkedHashMap<>();
        BenchStack stack = null;
        String stackFailure = null;
        try {
            for (String name : run) {
                System.out.println(">> " + name + (quick ? " (quick)" : "") + ", load average " + LoadAverage.now());
                long benchStart = System.nanoTime();
                long stackSeconds = 0;
                try {
                    if (ON_STACK.contains(name) && stack == null) {
                        if (stackFailure != null) {
                            throw new IllegalStateException("the local stack did not start: " + stackFailure);
                        }
                        Report ready = new Report("stack", "Local stack start (issue 10)");
                        try {
                            long stackStart = System.nanoTime();
                            stack = BenchStack.start(s);
                            stackSeconds = elapsed(stackStart);
                            seconds.put("stack start", stackSeconds);
                        } catch (RuntimeException e) {
                            stackFailure = e.getMessage() == null ? e.toString()
                                    : e.getMessage().lines().findFirst().orElse(e.toString());
                            throw e;
                        }
                        publish(stack.readyReport(ready), s);
                    }
                    Report r = switch (name) {
                        case "registry" -> RegistryBench.run(s);
                        case "audit" -> AuditBench.run(s);
                        case "kbs" -> KbsBench.run(s, stack);
                        case "events" -> EventBench.run(s, stack);
                        case "primitives" -> PrimitivesBench.run(s);
                        default -> SnpBench.run(s);
                    };
                    publish(r, s);
                } catch (Exception | Error e) {
                    failed++;
                    System.err.println(name + " failed: " + e);
                    e.printStackTrace();
                }
                seconds.put(name, elapsed(benchStart) - stackSeconds);
                if (stack != null && name.equals(lastOnStack)) {
                    // the benchmarks after this one (audit, registry) start their own servers: no idle stack beside them
                    publish(stack.memoryReport(new Report("stack-after", "Local stack after the load (issue 10)")), s);
                    long stop = System.nanoTime();
                    stack.close();
                    stack = null;
                    seconds.put("stack stop", elapsed(stop));
                }
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        System.out.println(">> wall clock " + elapsed(runStart) + " s: " + seconds);
        // KRaft and Spring leave non-daemon threads behind; the figures are written
        System.exit(failed == 0 ? 0 : 1);
    }

    private static long elapsed(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e9);
    }

    private static void publish(Report r, Settings s) throws java.io.IOException {
        if (s.quick()) {
            r.note("quick mode");
        }
        Path json = r.write(s.resultsDir(), s.date());
        System.out.print(r.text());
        System.out.println("  -> " + json + " and " + s.resultsDir().resolve(s.date() + ".md"));
    }

    private static void usage() {
        System.out.println("usage: cocoplane-bench [--quick] [--results DIR] [" + String.join("|", ALL) + "|all]...");
    }

    /** The checkout: {@code -Dcocoplane.bench.root}, else the nearest directory up from here holding {@code mvnw}. */
    static Path repoRoot() {
        String prop = System.getProperty("cocoplane.bench.root");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath();
        }
        Path d = Path.of("").toAbsolutePath();
        for (Path p = d; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("services"))) {
                return p;
            }
        }
        return d;
    }
}
