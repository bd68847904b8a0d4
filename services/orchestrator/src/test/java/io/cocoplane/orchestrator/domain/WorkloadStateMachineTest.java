package io.cocoplane.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WorkloadStateMachineTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final WorkloadStateMachine machine = new WorkloadStateMachine(
            new Deadlines(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(4)));

    /** Applies signals in order; returns the final lifecycle and collects the transitions. */
    Lifecycle run(List<Transition> out, Lifecycle start, Signal... signals) {
        Lifecycle l = start;
        Instant now = T0;
        for (Signal s : signals) {
            now = now.plusSeconds(1);
            var o = machine.apply(l, s, now);
            out.addAll(o.transitions());
            l = o.lifecycle();
        }
        return l;
    }

    static List<WorkloadState> targets(List<Transition> ts) {
        return ts.stream().map(Transition::to).toList();
    }

    final Signal created = new Signal.PodCreated("created");
    final Signal ready = new Signal.PodReady("ready");
    final Signal attested = new Signal.Attested("attested");

    @Test
    void happyPathReachesRunningThroughAttested() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0), created, ready, attested);
        assertThat(l.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(targets(ts)).containsExactly(WorkloadState.SCHEDULED, WorkloadState.ATTESTED,
                WorkloadState.RUNNING);
        assertThat(ts.get(1).cause()).isEqualTo("attested");
        assertThat(ts.get(0).from()).isEqualTo(WorkloadState.REQUESTED);
    }

    @Test
    void everyArrivalOrderConvergesToRunningWithTheSameTransitions() {
        List<List<Signal>> orders = List.of(
                List.of(created, ready, attested), List.of(created, attested, ready),
                List.of(ready, created, attested), List.of(attested, created, ready),
                List.of(ready, attested, created), List.of(attested, ready, created));
        for (List<Signal> order : orders) {
            List<Transition> ts = new ArrayList<>();
            Lifecycle l = run(ts, Lifecycle.requested(T0), order.toArray(Signal[]::new));
            assertThat(l.state()).as("order %s", order).isEqualTo(WorkloadState.RUNNING);
            assertThat(targets(ts)).as("order %s", order).containsExactly(WorkloadState.SCHEDULED,
                    WorkloadState.ATTESTED, WorkloadState.RUNNING);
        }
    }

    @Test
    void attestedButNotReadyWaitsInAttested() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0), created, attested);
        assertThat(l.state()).isEqualTo(WorkloadState.ATTESTED);
        l = run(ts, l, new Signal.PodNotReady("flap"));
        assertThat(l.state()).isEqualTo(WorkloadState.ATTESTED);
    }

    @Test
    void duplicatesCauseNoTransition() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0), created, created, ready, ready, attested, attested, created);
        assertThat(l.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(ts).hasSize(3);
        var again = machine.apply(l, attested, T0.plusSeconds(100));
        assertThat(again.transitions()).isEmpty();
        assertThat(again.lifecycle()).isEqualTo(l);
    }

    @Test
    void failureFromEveryActiveStateAndFailedIsSticky() {
        Signal fail = new Signal.Failure(FailureReason.KEY_DENIED, "denied", "key.denied");
        for (Signal[] prefix : new Signal[][] {{}, {created}, {created, attested}, {created, attested, ready}}) {
            List<Transition> ts = new ArrayList<>();
            Lifecycle l = run(ts, Lifecycle.requested(T0), prefix);
            WorkloadState before = l.state();
            l = run(ts, l, fail);
            assertThat(l.state()).isEqualTo(WorkloadState.FAILED);
            assertThat(l.reason()).isEqualTo(FailureReason.KEY_DENIED);
            assertThat(ts.get(ts.size() - 1).from()).isEqualTo(before);
            int n = ts.size();
            l = run(ts, l, ready, attested, new Signal.Failure(FailureReason.POD_FAILED, null, "x"),
                    new Signal.Tick("t"));
            assertThat(ts).hasSize(n);
            assertThat(l.reason()).isEqualTo(FailureReason.KEY_DENIED);
        }
    }

    @Test
    void deletionLeadsThroughTerminatingToTerminatedAndIsFinal() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0), created, ready, attested,
                new Signal.DeletionRequested("delete"), attested, new Signal.DeletionRequested("again"),
                new Signal.PodDeleted("gone"), new Signal.PodCreated("late"), new Signal.DeletionRequested("late"));
        assertThat(l.state()).isEqualTo(WorkloadState.TERMINATED);
        assertThat(targets(ts)).containsExactly(WorkloadState.SCHEDULED, WorkloadState.ATTESTED,
                WorkloadState.RUNNING, WorkloadState.TERMINATING, WorkloadState.TERMINATED);
    }

    @Test
    void aFailedWorkloadCanStillBeDeleted() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0),
                new Signal.Failure(FailureReason.IMAGE_NOT_FOUND, null, "resolve"),
                new Signal.DeletionRequested("delete"), new Signal.PodDeleted("none"));
        assertThat(targets(ts)).containsExactly(WorkloadState.FAILED, WorkloadState.TERMINATING,
                WorkloadState.TERMINATED);
        assertThat(l.reason()).isNull();
    }

    @Test
    void aPodThatVanishesWithoutDeletionIsLost() {
        List<Transition> ts = new ArrayList<>();
        Lifecycle l = run(ts, Lifecycle.requested(T0), created, new Signal.PodDeleted("gone"));
        assertThat(l.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(l.reason()).isEqualTo(FailureReason.POD_LOST);
        // before the pod is ours (REQUESTED) a deletion notice is ignored
        assertThat(machine.apply(Lifecycle.requested(T0), new Signal.PodDeleted("x"), T0).transitions()).isEmpty();
    }

    @Test
    void deadlinesFailWithDeadlineExceededOnlyWhenPassed() {
        Signal tick = new Signal.Tick("tick");
        Lifecycle requested = Lifecycle.requested(T0);
        assertThat(machine.apply(requested, tick, T0.plus(Duration.ofMinutes(2))).transitions()).isEmpty();
        var late = machine.apply(requested, tick, T0.plus(Duration.ofMinutes(2)).plusMillis(1));
        assertThat(late.lifecycle().reason()).isEqualTo(FailureReason.DEADLINE_EXCEEDED);
        assertThat(late.lifecycle().detail()).contains("not scheduled");

        Lifecycle scheduled = machine.apply(requested, created, T0).lifecycle();
        // readiness (4 min) is checked after attestation (5 min) only when attested
        var notReady = machine.apply(machine.apply(scheduled, attested, T0).lifecycle(), tick,
                T0.plus(Duration.ofMinutes(4)).plusSeconds(1));
        assertThat(notReady.lifecycle().state()).isEqualTo(WorkloadState.FAILED);
        assertThat(notReady.lifecycle().detail()).contains("not ready");

        var readyNotAttested = machine.apply(machine.apply(scheduled, ready, T0).lifecycle(), tick,
                T0.plus(Duration.ofMinutes(5)).plusSeconds(1));
        assertThat(readyNotAttested.lifecycle().detail()).contains("not attested");

        Lifecycle running = machine.apply(machine.apply(scheduled, ready, T0).lifecycle(), attested, T0).lifecycle();
        assertThat(machine.apply(running, tick, T0.plus(Duration.ofDays(1))).transitions()).isEmpty();
    }
}
