package io.cocoplane.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code bin/cocoplane status} shows: per component its pid, port, state (readiness for services, running or
 * gone for the rest) and memory (RSS and PSS of the process and its descendants: PostgreSQL's line covers the
 * postmaster and its backends; the supervisor's line counts the supervisor JVM alone), then the totals over all of
 * them.
 *
 * @param state      the state file's content
 * @param supervisor whether the supervisor still runs
 * @param rows       one row per component
 * @param total      memory of every process of the stack
 */
public record StatusReport(StackState state, boolean supervisor, List<Row> rows, ProcessMemory total) {

    /**
     * @param name   component
     * @param pid    its pid, or 0 when it lives inside the supervisor
     * @param port   its port
     * @param status {@code UP}/{@code DOWN}/… for services, {@code running}/{@code gone} for processes
     * @param memory its memory (descendants included)
     */
    public record Row(String name, long pid, int port, String status, ProcessMemory memory) {
    }

    /** Exit code of {@code status}: running and every service ready. */
    public static final int OK = 0;
    /** Exit code of {@code status}: a state file exists but something is down or gone. */
    public static final int DEGRADED = 1;
    /** Exit code of {@code status}: no stack (LSB "not running"). */
    public static final int NOT_RUNNING = 3;

    /**
     * Probes every component of a stack.
     *
     * @param state the state file's content
     * @param probe readiness probe
     * @return the report
     */
    public static StatusReport of(StackState state, HealthProbe probe) {
        List<Row> rows = new ArrayList<>();
        Optional<ProcessHandle> sup = state.supervisor();
        ProcessMemory total = ProcessMemory.NONE;
        if (sup.isPresent()) {
            ProcessMemory own = ProcessMemory.ofProcess(state.supervisorPid());
            rows.add(new Row("supervisor", state.supervisorPid(), 0, "running", own));
            total = own;
            rows.add(new Row("kubernetes", 0, state.ports().kubernetes(), "in supervisor", ProcessMemory.NONE));
        } else {
            rows.add(new Row("supervisor", state.supervisorPid(), 0, "gone", ProcessMemory.NONE));
        }
        for (StackState.Child c : state.processes()) {
            Optional<ProcessHandle> h = c.handle();
            ProcessMemory m = h.map(x -> ProcessMemory.ofTree(x.pid())).orElse(ProcessMemory.NONE);
            total = total.plus(m);
            String status;
            if (h.isEmpty()) {
                status = "gone";
            } else if (isService(c.name())) {
                status = probe.readiness(c.port());
            } else {
                status = "running";
            }
            rows.add(new Row(c.name(), c.pid(), c.port(), status, m));
        }
        return new StatusReport(state, sup.isPresent(), rows, total);
    }

    private static boolean isService(String name) {
        try {
            ServiceName.of(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return {@link #OK} when the supervisor runs, the phase is READY and every row is UP or running */
    public int exitCode() {
        boolean healthy = supervisor && state.phase() == StackState.Phase.READY && rows.stream()
                .allMatch(r -> r.status().equals("UP") || r.status().equals("running")
                        || r.status().equals("in supervisor"));
        return healthy ? OK : DEGRADED;
    }

    /** @return the report as a table */
    public String render() {
        StringBuilder b = new StringBuilder();
        String since = state.readyAt() == null ? "" : ", ready for " + human(Duration.between(state.readyAt(),
                Instant.now()));
        b.append("cocoplane local stack: ").append(supervisor ? state.phase().name() : "SUPERVISOR GONE")
                .append(" (supervisor pid ").append(state.supervisorPid()).append(since).append(") in ")
                .append(state.home()).append('\n');
        if (state.sampleTee()) {
            b.append(Summary.BANNER).append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-13s %8s %6s  %-14s %11s %11s%n", "component", "pid", "port", "state",
                "RSS", "PSS"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-13s %8s %6s  %-14s %11s %11s%n", r.name(),
                    r.pid() == 0 ? "-" : Long.toString(r.pid()), r.port() == 0 ? "-" : Integer.toString(r.port()),
                    r.status(), r.memory().processes() == 0 ? "-" : ProcessMemory.human(r.memory().rss()),
                    r.memory().processes() == 0 ? "-" : ProcessMemory.human(r.memory().pss())));
        }
        b.append(String.format(Locale.ROOT, "total: %d processes, RSS %s (sum of VmRSS), PSS %s%n",
                total.processes(), ProcessMemory.human(total.rss()), ProcessMemory.human(total.pss())));
        b.append("kata node: ").append(state.kataNode()).append('\n');
        if (!supervisor) {
            b.append("The supervisor is gone; bin/cocoplane down stops what is left.\n");
        }
        return b.toString();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s"
                : s + "s";
    }
}
