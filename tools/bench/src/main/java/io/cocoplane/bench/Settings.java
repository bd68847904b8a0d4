package io.cocoplane.bench;

import java.nio.file.Path;
import java.time.LocalDate;

import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What a run needs to know.
 *
 * @param repoRoot   the cocoplane checkout (service jars are found under it)
 * @param resultsDir where the JSON and Markdown go
 * @param quick      smaller sizes and fewer runs
 * @param date       the date in the result file names
 */
record Settings(Path repoRoot, Path resultsDir, boolean quick, LocalDate date) {

    /**
     * @return JMH forks per benchmark: 1 (a fresh JVM each, no profile shared between benchmarks), or 0 in quick mode
     *         (in the harness JVM: saves a JVM start and warm-up per benchmark, at the cost of shared JIT profiles)
     */
    int jmhForks() {
        return quick ? 0 : 1;
    }

    /** @return the length of one JMH warm-up or measurement iteration: 1 s, or 500 ms in quick mode */
    TimeValue jmhIteration() {
        return quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
    }

    Path serviceJar(String service) {
        String override = System.getProperty("cocoplane.bench." + service + "Jar");
        if (override != null) {
            return Path.of(override);
        }
        return repoRoot.resolve("services").resolve(service).resolve("target")
                .resolve(service + "-0.1.0-SNAPSHOT-exec.jar");
    }
}
