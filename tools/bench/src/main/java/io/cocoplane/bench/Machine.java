package io.cocoplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line description of the machine a report was measured on: CPU model ({@code /proc/cpuinfo}), the processors the
 * JVM sees, memory ({@code MemTotal} of {@code /proc/meminfo}), OS and JVM; e.g. {@code "AMD EPYC 7R13 Processor,
 * 2 CPUs, 23.5 GiB, Linux 6.1.0 amd64, JDK 25.0.1"}. Parts that cannot be read are left out.
 */
final class Machine {

    private Machine() {
    }

    static String describe() {
        StringBuilder b = new StringBuilder();
        String model = read("/proc/cpuinfo", "model name");
        if (model != null) {
            b.append(model).append(", ");
        }
        b.append(LoadAverage.cpus()).append(" CPUs, ");
        String mem = read("/proc/meminfo", "MemTotal");
        if (mem != null) {
            b.append(String.format(Locale.ROOT, "%.1f GiB, ", memTotalKiB(mem) / 1048576.0));
        }
        return b.append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(", JDK ").append(Runtime.version())
                .toString();
    }

    /**
     * @param value the value of a {@code MemTotal:} line, e.g. {@code "24609700 kB"}
     * @return the KiB
     * @throws IllegalArgumentException when it is not {@code <number> kB}
     */
    static long memTotalKiB(String value) {
        String[] f = value.trim().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
            throw new IllegalArgumentException("not a MemTotal value: " + value);
        }
        return Long.parseLong(f[0]);
    }

    /** @return the value of the first {@code key : value} line of a /proc file, or null */
    private static String read(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
