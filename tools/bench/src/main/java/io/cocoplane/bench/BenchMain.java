package io.cocoplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code BenchMain [--quick] [--results DIR] [registry|audit|snp|all]...}: runs the benchmarks, prints their
 * figures and writes {@code <results>/<date>-<name>.json} and {@code <results>/<date>.md}. Exit status 0 when every
 * benchmark ran (targets missed are reported, not failures), 1 when one failed, 2 for bad usage.
 */
public final class BenchMain {

    static final List<String> ALL = List.of("registry", "audit", "snp");

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
        int failed = 0;
        for (String name : which.stream().distinct().toList()) {
            System.out.println(">> " + name + (quick ? " (quick)" : "") + ", load average " + LoadAverage.now());
            try {
                Report r = switch (name) {
                    case "registry" -> RegistryBench.run(s);
                    case "audit" -> AuditBench.run(s);
                    default -> SnpBench.run(s);
                };
                if (quick) {
                    r.note("quick mode");
                }
                Path json = r.write(results, s.date());
                System.out.print(r.text());
                System.out.println("  -> " + json + " and " + results.resolve(s.date() + ".md"));
            } catch (Exception | Error e) {
                failed++;
                System.err.println(name + " failed: " + e);
                e.printStackTrace();
            }
        }
        // KRaft and Spring leave non-daemon threads behind; the figures are written
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void usage() {
        System.out.println("usage: cocoplane-bench [--quick] [--results DIR] [registry|audit|snp|all]...");
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
