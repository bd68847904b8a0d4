package io.cocoplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1/5/15-minute load average from {@code /proc/loadavg}. */
public final class LoadAverage {

    private LoadAverage() {
    }

    /** @return e.g. {@code "1.52 1.80 2.01"}, or {@code "n/a"} off Linux */
    public static String now() {
        try {
            return parse(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static String parse(String procLoadavg) {
        String[] f = procLoadavg.trim().split("\\s+");
        if (f.length < 3) {
            throw new IllegalArgumentException("not a /proc/loadavg line: " + procLoadavg);
        }
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** @return the number of processors the JVM sees */
    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
