package io.cocoplane.orchestrator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Drives every unfinished workload forward on one thread: a pass every
 * {@code cocoplane.orchestrator.reconcile-interval} over all workloads that are neither FAILED nor TERMINATED
 * (scheduling retries, deadlines, restart recovery), plus an immediate step for a workload just requested.
 */
@Component
public class Reconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final WorkloadService service;
    private final PodWatcher watcher;
    private final OrchestratorProperties props;
    private final WorkloadRepository workloads;
    private ScheduledExecutorService executor;
    private volatile boolean running;

    Reconciler(WorkloadService service, PodWatcher watcher, OrchestratorProperties props,
               WorkloadRepository workloads) {
        this.service = service;
        this.watcher = watcher;
        this.props = props;
        this.workloads = workloads;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchestrator-reconciler");
            t.setDaemon(true);
            return t;
        });
        long interval = props.reconcileInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pass, 0, interval, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** Schedules a workload right after the command that created it committed. */
    @TransactionalEventListener
    void onKick(WorkloadService.Kick kick) {
        ScheduledExecutorService e = executor;
        if (running && e != null) {
            e.execute(() -> step(kick.workloadId()));
        }
    }

    private void pass() {
        if (!watcher.synced()) {
            // an incomplete cache would read as "pod gone" for every workload
            log.debug("reconcile pass skipped: the pod informers have not listed yet");
            return;
        }
        try {
            for (String id : workloads.activeIds()) {
                if (!running) {
                    return;
                }
                step(id);
            }
        } catch (RuntimeException e) {
            log.warn("reconcile pass failed: {}", e.toString());
        }
    }

    private void step(String id) {
        try {
            Pod cached = workloads.find(id).filter(w -> w.placement() != null)
                    .flatMap(w -> watcher.cached(w.spec().namespace(), w.placement().podName())).orElse(null);
            service.reconcile(id, cached);
        } catch (RuntimeException e) {
            log.warn("reconcile of workload {} failed: {}", id, e.toString());
        }
    }
}
