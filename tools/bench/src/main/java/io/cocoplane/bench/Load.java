package io.cocoplane.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load drivers for the harnesses that call a running service: a closed loop ({@link #closed}: N workers, each
 * starting its next operation when the last one returns) for peak throughput, and an open loop at a fixed arrival rate
 * ({@link #fixedRate}) for latency, where every operation's latency counts from its intended start (so a stalled
 * server is not hidden by the driver waiting for it: no coordinated omission). Latencies are recorded in microseconds
 * in an HdrHistogram (3 significant digits).
 */
final class Load {

    /** One operation, e.g. a full KBS flow; a thrown exception counts as an error. */
    @FunctionalInterface
    interface Op {
        /** @param worker the worker index, 0..concurrency-1 (closed loop) or 0..threads-1 (fixed rate) */
        void run(int worker) throws Exception;
    }

    /**
     * What one run measured.
     *
     * @param operations operations completed without error in the measured window
     * @param errors     operations that threw in the measured window
     * @param seconds    length of the measured window
     * @param latency    latency of the successful operations, microseconds
     * @param firstError the first error's description, or null
     */
    record Result(long operations, long errors, double seconds, Histogram latency, String firstError) {

        /** @return successful operations per second */
        double perSecond() {
            return operations / seconds;
        }

        /** @return the latency at a percentile (0..100) in milliseconds, NaN when nothing succeeded */
        double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private Load() {
    }

    /**
     * Runs {@code op} in {@code concurrency} threads back to back: first {@code warmup} (not measured), then
     * {@code measure}; the operations that complete within the measured window count, with their whole latency.
     *
     * @param concurrency worker threads, ≥ 1
     * @param warmupNanos warm-up length, ns (operations that complete in it are not recorded)
     * @param measureNanos measured window, ns
     * @return throughput and latency over the measured window
     */
    static Result closed(int concurrency, long warmupNanos, long measureNanos, Op op) throws InterruptedException {
        return closed(concurrency, warmupNanos, measureNanos, op, null);
    }

    /**
     * Called by the driving thread at the start and at the end of a measured window (e.g. to read the CPU time the
     * servers used in it).
     */
    interface WindowProbe {
        /** @param end false at the start of the window, true at its end */
        void at(boolean end);
    }

    /**
     * {@link #closed(int, long, long, Op)} that also calls {@code probe} (when not null) at the start and end of the
     * measured window, from the driving thread.
     */
    static Result closed(int concurrency, long warmupNanos, long measureNanos, Op op, WindowProbe probe)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        // the clock starts once every worker thread runs, so a slow thread start does not eat the window
        CountDownLatch ready = new CountDownLatch(concurrency);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // measureFrom, end: written before go opens
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            final int worker = w;
            workers.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                long measureFrom = window[0];
                long end = window[1];
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        return null;
                    }
                    boolean success = call(op, worker, firstError);
                    long t1 = System.nanoTime();
                    if (t1 >= measureFrom && t1 <= end) { // completed in the window (a saturated server's
                        // flows may take longer than the window: counting by start would report nothing)
                        if (success) {
                            recorder.recordValue(Math.max(1, (t1 - t0) / 1000));
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        if (!ready.await(1, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("worker threads did not start within a minute");
        }
        window[0] = System.nanoTime() + warmupNanos;
        window[1] = window[0] + measureNanos;
        go.countDown();
        pool.shutdown();
        if (probe != null) {
            sleepUntil(window[0]);
            probe.at(false);
            sleepUntil(window[1]);
            probe.at(true);
        }
        if (!pool.awaitTermination(measureNanos + warmupNanos + TimeUnit.MINUTES.toNanos(2), TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            throw new IllegalStateException("workers did not stop within 2 minutes after the window");
        }
        return new Result(ok.get(), errors.get(), measureNanos / 1e9, recorder.getIntervalHistogram(),
                firstError.get());
    }

    /**
     * Starts {@code op} at a fixed rate for {@code measure} after a {@code warmup} at the same rate, on up to
     * {@code threads} threads (arrivals that find every thread busy queue, and their wait counts as latency).
     *
     * @param perSecond    arrivals per second, &gt; 0
     * @param threads      threads serving the arrivals, ≥ 1
     * @param warmupNanos  warm-up length, ns
     * @param measureNanos measured window, ns
     * @return completions, errors and latency (intended start → end, µs) of the arrivals in the measured window
     */
    static Result fixedRate(double perSecond, int threads, long warmupNanos, long measureNanos, Op op)
            throws InterruptedException {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0: " + perSecond);
        }
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        ThreadLocal<Integer> index = new ThreadLocal<>();
        AtomicLong nextIndex = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        for (long i = 0; ; i++) {
            long intended = start + i * interval;
            if (intended >= end) {
                break;
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean measured = intended >= measureFrom;
            pool.execute(() -> {
                Integer w = index.get();
                if (w == null) {
                    w = (int) nextIndex.getAndIncrement();
                    index.set(w);
                }
                boolean success = call(op, w, firstError);
                if (measured) {
                    if (success) {
                        recorder.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                        ok.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("queued arrivals not served within 2 minutes after the window");
        }
        return new Result(ok.get(), errors.get(), measureNanos / 1e9, recorder.getIntervalHistogram(),
                firstError.get());
    }

    private static void sleepUntil(long nanoTime) {
        for (long wait; (wait = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
        }
    }

    private static boolean call(Op op, int worker, AtomicReference<String> firstError) {
        try {
            op.run(worker);
            return true;
        } catch (Exception | AssertionError e) {
            firstError.compareAndSet(null, e.toString());
            return false;
        }
    }
}
