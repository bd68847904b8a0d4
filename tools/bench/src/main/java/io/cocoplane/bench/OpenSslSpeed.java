package io.cocoplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The peer of the JDK primitives: {@code openssl speed -mr} (OpenSSL's machine-readable output), one process, one
 * thread, on the same cores. Parsed lines: {@code +F:<n>:<algorithm>:<bytes/s>...} for digests (one column per
 * {@code -bytes} size) and {@code +F4:<n>:<bits>:<signs/s>:<verifies/s>} for ECDSA.
 */
final class OpenSslSpeed {

    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private OpenSslSpeed() {
    }

    /** @return the OpenSSL version line, or empty when {@link #OPENSSL} is not installed */
    static Optional<String> version() {
        if (!Files.isExecutable(OPENSSL)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(OPENSSL.toString(), "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Optional.of(v) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * @param seconds measuring time
     * @return SHA-256 MiB/s over 1 MiB buffers ({@code openssl speed -evp sha256 -bytes 1048576})
     * @throws IllegalStateException when openssl fails or prints no {@code +F} line
     */
    static double sha256MiBps(int seconds) throws Exception {
        String out = run(List.of(OPENSSL.toString(), "speed", "-mr", "-seconds", Integer.toString(seconds), "-bytes",
                "1048576", "-evp", "sha256"));
        return digestBytesPerSecond(out, "sha256") / 1048576.0;
    }

    /**
     * @param seconds measuring time per operation
     * @return ECDSA P-384 verifications per second ({@code openssl speed ecdsap384})
     * @throws IllegalStateException when openssl fails or prints no {@code +F4} line for 384 bits
     */
    static double p384VerifiesPerSecond(int seconds) throws Exception {
        String out = run(List.of(OPENSSL.toString(), "speed", "-mr", "-seconds", Integer.toString(seconds),
                "ecdsap384"));
        return ecdsaVerifiesPerSecond(out, 384);
    }

    /**
     * @param output {@code openssl speed -mr} output
     * @param algorithm the digest name in the {@code +F} line
     * @return the bytes per second of the first (only) buffer size
     * @throws IllegalStateException when there is no such line
     */
    static double digestBytesPerSecond(String output, String algorithm) {
        for (String line : output.lines().toList()) {
            String[] f = line.split(":");
            if (f.length >= 4 && f[0].equals("+F") && f[2].equals(algorithm)) {
                return Double.parseDouble(f[3]);
            }
        }
        throw new IllegalStateException("no +F line for " + algorithm + " in openssl output: " + output);
    }

    /**
     * @param output {@code openssl speed -mr} output
     * @param bits the curve size in the {@code +F4} line
     * @return verifications per second
     * @throws IllegalStateException when there is no such line
     */
    static double ecdsaVerifiesPerSecond(String output, int bits) {
        for (String line : output.lines().toList()) {
            String[] f = line.split(":");
            if (f.length >= 5 && f[0].equals("+F4") && f[2].equals(Integer.toString(bits))) {
                return Double.parseDouble(f[4]);
            }
        }
        throw new IllegalStateException("no +F4 line for " + bits + " bits in openssl output: " + output);
    }

    /** Runs through {@link Procs#run} (timeout, exit status, output tail in its error) and returns the output. */
    private static String run(List<String> cmd) throws Exception {
        Path log = Files.createTempFile("openssl-speed-", ".log");
        try {
            Procs.run(cmd, log, Duration.ofMinutes(2));
            return Files.readString(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
