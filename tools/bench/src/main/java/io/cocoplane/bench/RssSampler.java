package io.cocoplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident set size ({@code VmRSS} in {@code /proc/<pid>/status}) every 100 ms; keeps the peak. */
public final class RssSampler implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKiB = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public RssSampler(long pid) {
        this.pid = pid;
        this.thread = Thread.ofPlatform().daemon().name("rss-" + pid).start(this::loop);
    }

    private void loop() {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        while (running) {
            try {
                long kib = vmRssKiB(Files.readString(status));
                peakKiB.accumulateAndGet(kib, Math::max);
            } catch (IOException | RuntimeException e) {
                // the process is gone or not yet there; keep the peak so far
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * @param procStatus contents of {@code /proc/<pid>/status}
     * @return VmRSS in KiB
     * @throws IllegalArgumentException when there is no VmRSS line
     */
    static long vmRssKiB(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                long v = Long.parseLong(f[0]);
                String unit = f.length > 1 ? f[1] : "kB";
                return switch (unit) {
                    case "kB" -> v;
                    case "mB" -> v * 1024;
                    default -> throw new IllegalArgumentException("unknown unit " + unit);
                };
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }

    /** @return the peak RSS seen so far, MiB */
    public double peakMiB() {
        return peakKiB.get() / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
