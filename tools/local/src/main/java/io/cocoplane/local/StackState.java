package io.cocoplane.local;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the supervisor writes to {@code state.json} so that {@code status} and {@code down} find a running (or
 * detached, or crashed) stack: its own pid, the phase, the ports and every child process with its start time, so a
 * pid reused by an unrelated process is never signalled.
 *
 * @param phase          {@link Phase}
 * @param supervisorPid  the supervisor JVM's pid
 * @param supervisorStart its start time
 * @param home           the stack directory
 * @param ports          the stack's ports
 * @param startedAt      when {@code up} began
 * @param readyAt        when every component was ready, or null
 * @param processes      child processes known so far
 * @param kataNode       what the simulated Kata node is ({@code running} or why not)
 * @param sampleTee      whether the development profile accepts the sample TEE
 */
public record StackState(Phase phase, long supervisorPid, Instant supervisorStart, String home, Ports ports,
                         Instant startedAt, Instant readyAt, List<Child> processes, String kataNode,
                         boolean sampleTee) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final int MAX_STATE_BYTES = 1024 * 1024;

    /** Copies the list. */
    public StackState {
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** Lifecycle of the supervisor. */
    public enum Phase {
        /** Components are being started. */
        STARTING,
        /** Every component answered ready. */
        READY,
        /** Stopping (Ctrl-C, {@code down}, or a failed start). */
        STOPPING,
        /** A component failed to start; the supervisor is stopping the rest. */
        FAILED
    }

    /**
     * A child process.
     *
     * @param name  component ({@code postgres}, {@code kafka} or a service id)
     * @param pid   pid
     * @param start its start time, or null when unknown
     * @param port  its main port
     * @param log   its log file
     */
    public record Child(String name, long pid, Instant start, int port, String log) {

        /** @return its process handle when it still runs and is the same process (start time matches) */
        public Optional<ProcessHandle> handle() {
            return StackState.handle(pid, start);
        }
    }

    /**
     * @param pid   a pid
     * @param start the process's recorded start time, or null
     * @return the live process with that pid and start time (within one second)
     */
    static Optional<ProcessHandle> handle(long pid, Instant start) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> start == null
                || h.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - start.toEpochMilli()) < 1000)
                .orElse(true));
    }

    /** @return the supervisor's handle when it still runs */
    public Optional<ProcessHandle> supervisor() {
        return handle(supervisorPid, supervisorStart);
    }

    /**
     * @param newPhase the new phase
     * @return this state in that phase
     */
    public StackState withPhase(Phase newPhase) {
        return new StackState(newPhase, supervisorPid, supervisorStart, home, ports, startedAt,
                newPhase == Phase.READY ? Instant.now() : readyAt, processes, kataNode, sampleTee);
    }

    /**
     * @param child a newly started child
     * @return this state with it added, in place of an earlier child of the same name (a restart)
     */
    public StackState with(Child child) {
        List<Child> l = new ArrayList<>(processes);
        int same = l.stream().map(Child::name).toList().indexOf(child.name());
        if (same >= 0) {
            l.set(same, child);
        } else {
            l.add(child);
        }
        return new StackState(phase, supervisorPid, supervisorStart, home, ports, startedAt, readyAt, l, kataNode,
                sampleTee);
    }

    /**
     * @param kata what the simulated Kata node is
     * @return this state with it
     */
    public StackState withKataNode(String kata) {
        return new StackState(phase, supervisorPid, supervisorStart, home, ports, startedAt, readyAt, processes, kata,
                sampleTee);
    }

    /**
     * Writes the state atomically.
     *
     * @param file the state file
     */
    public void write(Path file) {
        SecureFiles.writePublic(file, JSON.writeValueAsString(this) + "\n");
    }

    /**
     * @param file the state file
     * @return the state, or empty when there is no file
     * @throws IllegalStateException when the file is larger than 1 MiB or not a state document (the message says
     *                               to run {@code down} or delete it)
     */
    public static Optional<StackState> read(Path file) {
        String text = SecureFiles.readIfExists(file);
        if (text == null) {
            return Optional.empty();
        }
        if (text.length() > MAX_STATE_BYTES) {
            throw new IllegalStateException(file + " is larger than 1 MiB; not a stack state file");
        }
        try {
            return Optional.of(JSON.readValue(text, StackState.class));
        } catch (JacksonException e) {
            throw new IllegalStateException(file + " is not a readable stack state (" + e.getOriginalMessage()
                    + "); if no stack runs, delete it", e);
        }
    }
}
