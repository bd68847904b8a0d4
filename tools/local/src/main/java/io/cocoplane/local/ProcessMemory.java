package io.cocoplane.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of a process tree on Linux, from procfs: RSS ({@code VmRSS} of {@code /proc/<pid>/status}, what the issue's
 * budget counts; shared pages are counted once per process) and PSS ({@code Pss} of
 * {@code /proc/<pid>/smaps_rollup}, shared pages divided among their users, so the PSS of all processes adds up to
 * what the stack really occupies). Values in bytes; 0 for a process that is gone or unreadable.
 *
 * @param processes how many processes were counted
 * @param rss       summed resident set size, bytes
 * @param pss       summed proportional set size, bytes
 */
public record ProcessMemory(int processes, long rss, long pss) {

    /** No process. */
    public static final ProcessMemory NONE = new ProcessMemory(0, 0, 0);

    /**
     * @param pid a process id
     * @return the memory of that process and all its descendants
     */
    public static ProcessMemory ofTree(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            pids.add(h.pid());
            h.descendants().forEach(d -> pids.add(d.pid()));
        });
        ProcessMemory m = NONE;
        for (long p : pids) {
            m = m.plus(ofProcess(p));
        }
        return m;
    }

    /**
     * @param pid a process id
     * @return the memory of that process alone
     */
    public static ProcessMemory ofProcess(long pid) {
        long rss = kib(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
        long pss = kib(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        return rss == 0 && pss == 0 ? NONE : new ProcessMemory(1, rss * 1024, pss * 1024);
    }

    /**
     * @param other another reading
     * @return the sum
     */
    public ProcessMemory plus(ProcessMemory other) {
        return new ProcessMemory(processes + other.processes, rss + other.rss, pss + other.pss);
    }

    private static long kib(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not readable
        }
        return 0;
    }

    /**
     * @param bytes a size
     * @return it in MiB (or GiB above 1 GiB) with one decimal, e.g. {@code 212.4 MiB}
     */
    public static String human(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        return mib >= 1024 ? String.format(java.util.Locale.ROOT, "%.2f GiB", mib / 1024)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", mib);
    }
}
