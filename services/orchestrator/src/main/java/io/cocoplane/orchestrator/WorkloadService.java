package io.cocoplane.orchestrator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.contracts.KeyDenied;
import io.cocoplane.contracts.KeyReleased;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.contracts.WorkloadStateChanged;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.eventing.PoisonRecordException;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.cocoplane.orchestrator.domain.FailureReason;
import io.cocoplane.orchestrator.domain.ImageReference;
import io.cocoplane.orchestrator.domain.InitDataDigests;
import io.cocoplane.orchestrator.domain.KbsResourceUri;
import io.cocoplane.orchestrator.domain.Lifecycle;
import io.cocoplane.orchestrator.domain.Signal;
import io.cocoplane.orchestrator.domain.Transition;
import io.cocoplane.orchestrator.domain.WorkloadSpec;
import io.cocoplane.orchestrator.domain.WorkloadState;
import io.cocoplane.orchestrator.domain.WorkloadStateMachine;
import io.cocoplane.orchestrator.k8s.PodClassifier;
import io.cocoplane.orchestrator.k8s.PodPlan;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.cocoplane.orchestrator.persistence.ProjectionRepository;
import io.cocoplane.orchestrator.persistence.ProjectionRepository.ImageRecord;
import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.cocoplane.orchestrator.persistence.WorkloadRepository.Placement;
import io.cocoplane.orchestrator.persistence.WorkloadRepository.Workload;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The orchestrator's use cases. Every change of a workload happens under its row lock ({@code SELECT ... FOR UPDATE})
 * in one transaction with its history rows and its events ({@code workload.scheduled}, {@code workload.state-changed}
 * through the outbox), so the Kafka consumer, the informer and the reconciler may race freely.
 */
@Service
public class WorkloadService {

    private static final Logger log = LoggerFactory.getLogger(WorkloadService.class);

    /** Workload ids must be Kubernetes label values (the pod label carries them). */
    static final Pattern WORKLOAD_ID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?");
    private static final int MAX_TEXT = 256;

    /** Published after the commit that created a workload, so the reconciler schedules it at once. */
    public record Kick(String workloadId) {
    }

    private final WorkloadRepository workloads;
    private final ProjectionRepository projections;
    private final PodGateway pods;
    private final PodPlanner planner;
    private final WorkloadStateMachine machine;
    private final EventPublisher events;
    private final Clock clock;
    private final OrchestratorProperties props;
    private final ApplicationEventPublisher springEvents;

    WorkloadService(WorkloadRepository workloads, ProjectionRepository projections, PodGateway pods,
                    PodPlanner planner, WorkloadStateMachine machine, EventPublisher events, Clock clock,
                    OrchestratorProperties props, ApplicationEventPublisher springEvents) {
        this.workloads = workloads;
        this.projections = projections;
        this.pods = pods;
        this.planner = planner;
        this.machine = machine;
        this.events = events;
        this.clock = clock;
        this.props = props;
        this.springEvents = springEvents;
    }

    /**
     * Accepts a {@code workload.requested} command: records the workload as REQUESTED (or FAILED INVALID_REQUEST when
     * it breaks a rule). A second command for an existing workload id is ignored.
     *
     * @throws PoisonRecordException when the workload id cannot be a Kubernetes label value
     */
    @Transactional
    public void request(WorkloadRequested r, String eventId) {
        if (!WORKLOAD_ID.matcher(r.workloadId()).matches()) {
            throw new PoisonRecordException("workload id is not a Kubernetes label value (at most 63 characters of "
                    + "[A-Za-z0-9._-]): " + abbreviate(r.workloadId()));
        }
        WorkloadSpec spec = new WorkloadSpec(r.workloadId(), abbreviate(r.name()), abbreviate(r.namespace()),
                r.image().length() > ImageReference.MAX_LENGTH ? r.image().substring(0, ImageReference.MAX_LENGTH)
                        : r.image(), abbreviate(r.tee()),
                r.resources().size() > props.maxResources() ? r.resources().subList(0, props.maxResources() + 1)
                        : r.resources(),
                r.agentPolicy().allowExec(), r.agentPolicy().allowLogs(),
                r.limits() == null ? null : abbreviate(r.limits().cpu()),
                r.limits() == null ? null : abbreviate(r.limits().memory()), abbreviate(r.requestedBy()));
        Instant now = clock.instant();
        Lifecycle lifecycle = Lifecycle.requested(now);
        if (!workloads.insert(spec, lifecycle)) {
            log.info("workload {} already exists; command {} ignored", spec.id(), eventId);
            return;
        }
        record(spec.id(), List.of(new Transition(null, WorkloadState.REQUESTED, null, null,
                "workload.requested " + eventId, now)));
        String invalid = validate(spec, r);
        if (invalid != null) {
            apply(spec.id(), lifecycle, new Signal.Failure(FailureReason.INVALID_REQUEST, invalid,
                    "validation of workload.requested " + eventId), now);
            return;
        }
        springEvents.publishEvent(new Kick(spec.id()));
    }

    /** Accepts a {@code workload.deletion-requested} command: TERMINATING, and the pod is deleted. */
    @Transactional
    public void delete(String workloadId, String eventId) {
        Optional<Workload> found = workloads.lock(workloadId);
        if (found.isEmpty()) {
            log.info("deletion of unknown workload {} ignored", abbreviate(workloadId));
            return;
        }
        Workload w = found.get();
        Lifecycle l = apply(w, new Signal.DeletionRequested("workload.deletion-requested " + eventId));
        if (l.state() == WorkloadState.TERMINATING) {
            removePod(w.spec(), l, "no pod to delete");
        }
    }

    /** {@code attestation.completed}: attested when affirming, else FAILED ATTESTATION_FAILED. */
    @Transactional
    public void attestationCompleted(AttestationCompleted a, String eventId) {
        if (a.workloadId() == null) {
            return;
        }
        Optional<Workload> found = workloads.lock(a.workloadId());
        if (found.isEmpty()) {
            log.info("attestation.completed {} names unknown workload {}", eventId, abbreviate(a.workloadId()));
            return;
        }
        Workload w = found.get();
        if (!digestMatches(w, a.initDataDigest())) {
            log.warn("attestation.completed {} for workload {} reports init-data digest {} which is not the workload's;"
                    + " ignored", eventId, w.spec().id(), abbreviate(a.initDataDigest()));
            return;
        }
        String cause = "attestation.completed " + eventId;
        if (a.failureReason() == null && "affirming".equals(a.status())) {
            apply(w, new Signal.Attested(cause));
        } else if (a.failureReason() != null || "contraindicated".equals(a.status()) || "none".equals(a.status())) {
            apply(w, new Signal.Failure(FailureReason.ATTESTATION_FAILED, "EAR status " + a.status()
                    + (a.failureReason() == null ? "" : ", failed check " + abbreviate(a.failureReason())), cause));
        } else {
            log.info("attestation.completed {} for workload {} with status {}: no transition", eventId,
                    w.spec().id(), abbreviate(a.status()));
        }
    }

    /** {@code key.released}: a release needs an affirming attestation bound to the workload, so it counts as one. */
    @Transactional
    public void keyReleased(KeyReleased k, String eventId) {
        if (k.workloadId() == null) {
            return;
        }
        workloads.lock(k.workloadId()).filter(w -> digestMatches(w, k.initDataDigest())).ifPresent(w ->
                apply(w, new Signal.Attested("key.released " + abbreviate(k.resourcePath()) + " " + eventId)));
    }

    /** {@code key.denied}: FAILED KEY_DENIED. */
    @Transactional
    public void keyDenied(KeyDenied k, String eventId) {
        if (k.workloadId() == null) {
            return;
        }
        // like key.released: a denial for another init-data (a stale or foreign guest) does not fail this workload
        workloads.lock(k.workloadId()).filter(w -> digestMatches(w, k.initDataDigest()))
                .ifPresent(w -> apply(w, new Signal.Failure(FailureReason.KEY_DENIED,
                "key broker denied " + abbreviate(k.resourcePath()) + ": " + abbreviate(k.reason()),
                "key.denied " + eventId)));
    }

    /**
     * Applies a signal observed on the pod.
     *
     * @param fromEvent whether it came from a Kubernetes event; such failures are ignored once the workload is
     *                  RUNNING (events live an hour and are replayed after a restart, so an old sandbox retry would
     *                  otherwise fail a healthy workload)
     */
    @Transactional
    public void podSignal(String workloadId, Signal signal, boolean fromEvent) {
        workloads.lock(workloadId).ifPresent(w -> {
            if (fromEvent && w.lifecycle().state() == WorkloadState.RUNNING) {
                return;
            }
            apply(w, signal);
        });
    }

    /**
     * One reconcile step: schedules a REQUESTED workload (resolving its image and KEKs, creating the pod), finishes
     * a TERMINATING one whose pod is gone, fails an active one whose pod vanished, and checks the deadlines.
     *
     * @param cachedPod the informer's view of the pod (avoids an API call when the pod is known), or {@code null}
     */
    @Transactional
    public void reconcile(String workloadId, Pod cachedPod) {
        Optional<Workload> found = workloads.lock(workloadId);
        if (found.isEmpty()) {
            return;
        }
        Workload w = found.get();
        WorkloadSpec spec = w.spec();
        switch (w.lifecycle().state()) {
            case REQUESTED -> w = schedule(w);
            case TERMINATING -> {
                try {
                    Optional<Pod> pod = pods.findByWorkload(spec.namespace(), spec.id());
                    if (pod.isEmpty()) {
                        apply(w, new Signal.PodDeleted("reconcile: no pod left"));
                        return;
                    }
                    if (pod.get().getMetadata().getDeletionTimestamp() == null) {
                        pods.deleteByWorkload(spec.namespace(), spec.id());
                    }
                } catch (KubernetesClientException e) {
                    log.warn("reconcile of terminating workload {}: {}", spec.id(), e.getMessage());
                }
                return;
            }
            case SCHEDULED, ATTESTED, RUNNING -> {
                if (cachedPod == null && w.placement() != null) {
                    try {
                        if (pods.get(spec.namespace(), w.placement().podName()).isEmpty()) {
                            w = reload(w, apply(w, new Signal.PodDeleted("reconcile: pod not found")));
                        }
                    } catch (KubernetesClientException e) {
                        log.warn("reconcile of workload {}: {}", spec.id(), e.getMessage());
                    }
                }
            }
            default -> {
                return;
            }
        }
        apply(w, new Signal.Tick("deadline check"));
    }

    private Workload schedule(Workload w) {
        WorkloadSpec spec = w.spec();
        Instant now = clock.instant();
        boolean graceOver = now.isAfter(w.lifecycle().requestedAt().plus(props.resolutionGrace()));
        ImageReference ref = ImageReference.parse(spec.image()).orElseThrow(); // validated on request
        Optional<ImageRecord> image = ref.digest() != null
                ? projections.byDigest(ref.repository(), ref.digest())
                : projections.byTag(ref.repository(), ref.tag());
        if (image.isEmpty()) {
            if (graceOver) {
                return reload(w, apply(w, new Signal.Failure(FailureReason.IMAGE_NOT_FOUND,
                        "no image.pushed for " + ref.repository() + (ref.digest() != null ? "@" + ref.digest()
                                : ":" + ref.tag()), "image resolution")));
            }
            return w;
        }
        ImageRecord img = image.get();
        if (img.unkeyedEncryptedLayers() > 0) {
            return reload(w, apply(w, new Signal.Failure(FailureReason.KEY_MISSING, img.unkeyedEncryptedLayers()
                    + " encrypted layer(s) of " + img.digest() + " carry no attestation-agent key id",
                    "image resolution")));
        }
        List<String> kekPaths = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String keyId : img.keyIds()) {
            Optional<String> path = KbsResourceUri.path(keyId);
            if (path.isEmpty()) {
                return reload(w, apply(w, new Signal.Failure(FailureReason.KEY_MISSING,
                        "key id is not a KBS resource URI: " + abbreviate(keyId), "image resolution")));
            }
            kekPaths.add(path.get());
            if (!projections.keyExists(path.get())) {
                missing.add(keyId);
            }
        }
        if (!missing.isEmpty()) {
            if (graceOver) {
                return reload(w, apply(w, new Signal.Failure(FailureReason.KEY_MISSING,
                        "not in the key broker: " + String.join(", ", missing), "image resolution")));
            }
            return w;
        }
        PodPlan plan;
        try {
            plan = planner.plan(spec, ref.pinned(img.digest(), props.registry()), img.digest(), kekPaths);
        } catch (IllegalArgumentException e) { // includes InitDataException
            return reload(w, apply(w, new Signal.Failure(FailureReason.INVALID_REQUEST, e.getMessage(),
                    "pod planning")));
        }
        Pod pod;
        try {
            Optional<Pod> existing = pods.findByWorkload(spec.namespace(), spec.id());
            if (existing.isPresent()) {
                pod = existing.get();
                log.info("workload {} already has pod {}; not creating another", spec.id(),
                        pod.getMetadata().getName());
            } else {
                pod = pods.create(plan.pod());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return reload(w, apply(w, new Signal.Failure(FailureReason.POD_REJECTED, "pod name "
                        + plan.podName() + " is taken by another object", "pod creation")));
            }
            if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429 && e.getCode() != 408) {
                return reload(w, apply(w, new Signal.Failure(FailureReason.POD_REJECTED,
                        "Kubernetes refused the pod (HTTP " + e.getCode() + "): " + abbreviate(e.getMessage()),
                        "pod creation")));
            }
            log.warn("pod creation for workload {} failed, will retry: {}", spec.id(), e.getMessage());
            return w;
        }
        // The pod that exists is the truth (after a restart it may predate a configuration change).
        InitDataDocument doc = plan.initData();
        String annotation = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(planner.settings().annotationKey());
        if (annotation != null) {
            try {
                doc = InitDataAnnotation.decode(annotation);
            } catch (InitDataException e) {
                log.warn("pod {} carries an undecodable init-data annotation: {}", pod.getMetadata().getName(),
                        e.getMessage());
            }
        }
        String podImage = pod.getSpec().getContainers().get(0).getImage();
        Placement placement = new Placement(pod.getMetadata().getName(), pod.getMetadata().getUid(),
                pod.getSpec().getRuntimeClassName(), podImage, img.digest(), doc.digest().hex(),
                doc.digest().algorithm().tomlName(), plan.allowedResources());
        workloads.place(spec.id(), placement);
        events.publish(new WorkloadScheduled(spec.id(), placement.podName(), spec.namespace(), placement.image(),
                placement.imageDigest(), spec.tee(), placement.runtimeClass(), placement.initDataDigest(),
                placement.initDataAlgorithm(), placement.allowedResources()));
        Workload placed = new Workload(spec, w.lifecycle(), placement, now);
        Workload after = reload(placed, apply(placed, new Signal.PodCreated("pod " + placement.podName()
                + " created")));
        Optional<Signal> status = PodClassifier.classify(pod);
        if (status.isPresent()) {
            after = reload(after, apply(after, status.get()));
        }
        return after;
    }

    private void removePod(WorkloadSpec spec, Lifecycle l, String cause) {
        try {
            if (!pods.deleteByWorkload(spec.namespace(), spec.id())) {
                Workload now = workloads.find(spec.id()).orElseThrow();
                apply(now, new Signal.PodDeleted(cause));
            }
        } catch (KubernetesClientException e) {
            log.warn("deleting the pod of workload {} failed, the reconciler retries: {}", spec.id(), e.getMessage());
        }
    }

    private boolean digestMatches(Workload w, String reported) {
        if (reported == null || w.placement() == null) {
            return true;
        }
        return InitDataDigests.matches(w.placement().initDataDigest(), reported);
    }

    private Lifecycle apply(Workload w, Signal signal) {
        return apply(w.spec().id(), w.lifecycle(), signal, clock.instant());
    }

    private Lifecycle apply(String id, Lifecycle before, Signal signal, Instant now) {
        WorkloadStateMachine.Outcome outcome = machine.apply(before, signal, now);
        if (!outcome.lifecycle().equals(before)) {
            workloads.update(id, outcome.lifecycle(), now);
        }
        record(id, outcome.transitions());
        return outcome.lifecycle();
    }

    private void record(String id, List<Transition> transitions) {
        for (Transition t : transitions) {
            workloads.append(id, t);
            events.publish(new WorkloadStateChanged(id, t.from() == null ? null : t.from().name(), t.to().name(),
                    t.reason() == null ? null : t.reason().name(), t.detail()));
            log.info("workload {} {} -> {}{} ({})", id, t.from(), t.to(),
                    t.reason() == null ? "" : " " + t.reason(), t.cause());
        }
    }

    private static Workload reload(Workload w, Lifecycle l) {
        return new Workload(w.spec(), l, w.placement(), w.updatedAt());
    }

    private String validate(WorkloadSpec spec, WorkloadRequested r) {
        if (!props.kubernetes().namespaces().contains(spec.namespace())) {
            return "namespace " + spec.namespace() + " is not one of " + props.kubernetes().namespaces();
        }
        if (!DNS_LABEL.matcher(spec.name()).matches()) {
            return "name must be a DNS-1123 label";
        }
        if (!props.runtimeClasses().containsKey(spec.tee())) {
            return "TEE " + spec.tee() + " has no runtime class; known: " + props.runtimeClasses().keySet();
        }
        if (ImageReference.parse(r.image()).isEmpty()) {
            return "image is not an OCI reference [registry/]repository[:tag][@sha256:<hex>] of at most "
                    + ImageReference.MAX_LENGTH + " characters";
        }
        if (r.resources().size() > props.maxResources()) {
            return "at most " + props.maxResources() + " resources";
        }
        for (String res : r.resources()) {
            if (!KbsResourceUri.isPath(res)) {
                return "resource is not a KBS path <repository>/<type>/<tag>: " + abbreviate(res);
            }
        }
        String cpu = checkQuantity("cpu", spec.cpu(), props.pod().maxCpu());
        return cpu != null ? cpu : checkQuantity("memory", spec.memory(), props.pod().maxMemory());
    }

    private static String checkQuantity(String what, String value, String max) {
        if (value == null) {
            return null;
        }
        try {
            var amount = Quantity.getAmountInBytes(new Quantity(value));
            if (amount.signum() <= 0) {
                return what + " must be positive";
            }
            if (amount.compareTo(Quantity.getAmountInBytes(new Quantity(max))) > 0) {
                return what + " " + value + " exceeds the maximum " + max;
            }
            return null;
        } catch (RuntimeException e) {
            return what + " is not a Kubernetes quantity: " + abbreviate(value);
        }
    }

    static String abbreviate(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
    }
}
