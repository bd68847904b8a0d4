package io.cocoplane.local;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the stack (a service JVM or the Kafka JVM): stdout and stderr appended to its log file (the
 * previous run's log is kept as {@code <log>.1}), stdin from {@code /dev/null}. {@link #stop} sends SIGTERM, waits,
 * then SIGKILLs what is left, descendants included.
 */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path log;
    private final Instant started;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.started = process.info().startInstant().orElse(Instant.now());
    }

    /**
     * @param name    component name (for messages)
     * @param command the command line
     * @param env     extra environment variables
     * @param log     log file
     * @return the running process
     * @throws UncheckedIOException when it cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        try {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            return new ChildProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** @return the component name */
    public String name() {
        return name;
    }

    /** @return its pid */
    public long pid() {
        return process.pid();
    }

    /** @return when it started (to tell it from a later process that reuses the pid) */
    public Instant started() {
        return started;
    }

    /** @return its log file */
    public Path log() {
        return log;
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return its exit code once it has ended */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Sends SIGTERM and returns at once (to stop several processes in parallel before {@link #stop}). */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Kills it abruptly (SIGKILL to it and its descendants: no shutdown hooks run), as a crash would.
     *
     * @param wait how long to wait for the exit
     * @return whether it has exited within {@code wait}
     */
    public boolean kill(Duration wait) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Stops it: SIGTERM, up to {@code grace} to exit, then SIGKILL (descendants first).
     *
     * @param grace time allowed for a clean exit
     * @return whether it exited within the grace period
     */
    public boolean stop(Duration grace) {
        return stop(process.toHandle(), grace);
    }

    /**
     * Stops any process: SIGTERM, up to {@code grace} to exit, then SIGKILL (descendants first).
     *
     * @param handle the process
     * @param grace  time allowed for a clean exit
     * @return whether it exited within the grace period
     */
    public static boolean stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller through isAlive
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /**
     * @param lines how many lines
     * @return the last lines of its log
     */
    public String tail(int lines) {
        return tail(log, lines);
    }

    /**
     * @param file  a text file
     * @param lines how many lines
     * @return its last lines (at most the last 64 KiB are read); empty when it does not exist
     */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
