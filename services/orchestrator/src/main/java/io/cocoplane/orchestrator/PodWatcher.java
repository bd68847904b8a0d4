package io.cocoplane.orchestrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.cocoplane.orchestrator.domain.Signal;
import io.cocoplane.orchestrator.k8s.PodClassifier;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Shared informers, per configured namespace, on the pods labelled {@value PodPlanner#WORKLOAD_LABEL} and on the
 * core/v1 events, turned into lifecycle signals through {@link PodClassifier}. The informers list everything at start
 * (restart recovery) and resync periodically; handling is idempotent, so replays are harmless.
 */
@Component
public class PodWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PodWatcher.class);

    private final KubernetesClient client;
    private final WorkloadService service;
    private final WorkloadRepository workloads;
    private final OrchestratorProperties props;
    private final Map<String, SharedIndexInformer<Pod>> podInformers = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<Event>> eventInformers = new ArrayList<>();
    private volatile boolean running;

    PodWatcher(KubernetesClient client, WorkloadService service, WorkloadRepository workloads,
               OrchestratorProperties props) {
        this.client = client;
        this.service = service;
        this.workloads = workloads;
        this.props = props;
    }

    @Override
    public synchronized void start() {
        long resync = props.kubernetes().informerResync().toMillis();
        for (String ns : props.kubernetes().namespaces()) {
            SharedIndexInformer<Pod> pods = client.pods().inNamespace(ns).withLabel(PodPlanner.WORKLOAD_LABEL)
                    .runnableInformer(resync);
            pods.addEventHandler(new PodHandler());
            podInformers.put(ns, pods);
            startRetrying(pods, "pods in " + ns);
            SharedIndexInformer<Event> events = client.v1().events().inNamespace(ns).runnableInformer(resync);
            events.addEventHandler(new EventHandler());
            eventInformers.add(events);
            startRetrying(events, "events in " + ns);
        }
        running = true;
    }

    /**
     * Starts an informer without waiting for its first list: a slow or unreachable API server at start-up must not
     * stop the service; the informer keeps retrying (fabric8's backoff) and {@link #synced()} stays false until it
     * has listed once.
     */
    private static void startRetrying(SharedIndexInformer<?> informer, String what) {
        informer.exceptionHandler((started, t) -> {
            log.warn("informer on {}: {} (retrying)", what, t.toString());
            return true;
        });
        informer.start().whenComplete((ok, t) -> {
            if (t != null) {
                log.warn("informer on {} did not start: {}", what, t.toString());
            } else {
                log.info("informer on {} synced", what);
            }
        });
    }

    /** @return whether every pod informer has listed its namespace at least once (its cache is complete) */
    public boolean synced() {
        return running && !podInformers.isEmpty() && podInformers.values().stream().allMatch(i -> i.hasSynced());
    }

    @Override
    public synchronized void stop() {
        running = false;
        podInformers.values().forEach(SharedIndexInformer::stop);
        eventInformers.forEach(SharedIndexInformer::stop);
        podInformers.clear();
        eventInformers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    /**
     * @return the informer's copy of a pod; empty when unknown to the informer (not yet seen, or gone)
     */
    public Optional<Pod> cached(String namespace, String name) {
        SharedIndexInformer<Pod> informer = podInformers.get(namespace);
        if (informer == null || !informer.hasSynced()) {
            return Optional.empty();
        }
        return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    private void onPod(Pod pod) {
        String id = workloadId(pod);
        if (id == null) {
            return;
        }
        PodClassifier.classify(pod).ifPresent(signal -> safely(id, signal, false));
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            onPod(pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            onPod(newPod);
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            String id = workloadId(pod);
            if (id != null) {
                safely(id, new Signal.PodDeleted("pod " + pod.getMetadata().getName() + " deleted"), false);
            }
        }
    }

    private final class EventHandler implements ResourceEventHandler<Event> {
        @Override
        public void onAdd(Event event) {
            onEvent(event);
        }

        @Override
        public void onUpdate(Event oldEvent, Event newEvent) {
            onEvent(newEvent);
        }

        @Override
        public void onDelete(Event event, boolean deletedFinalStateUnknown) {
            // expiry of an event says nothing about the pod
        }
    }

    private void onEvent(Event event) {
        ObjectReference involved = event.getInvolvedObject();
        if (involved == null || !"Pod".equals(involved.getKind()) || involved.getName() == null) {
            return;
        }
        Optional<Signal> signal = PodClassifier.classify(event);
        if (signal.isEmpty()) {
            return;
        }
        String ns = involved.getNamespace() != null ? involved.getNamespace() : event.getMetadata().getNamespace();
        try {
            workloads.idByPod(ns, involved.getName()).ifPresent(id -> safely(id, signal.get(), true));
        } catch (RuntimeException e) {
            log.warn("event {} not handled: {}", event.getMetadata().getName(), e.toString());
        }
    }

    private void safely(String id, Signal signal, boolean fromEvent) {
        try {
            service.podSignal(id, signal, fromEvent);
        } catch (RuntimeException e) {
            // the informer thread must survive; the resync and the reconciler observe the pod again
            log.warn("signal {} for workload {} not applied: {}", signal, id, e.toString());
        }
    }

    private static String workloadId(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(PodPlanner.WORKLOAD_LABEL);
    }
}
