package io.cocoplane.katasim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * A simulated Kata node: it watches pods (one informer per configured namespace) and plays, for every pod whose
 * runtime class is a Kata one, what containerd + the Kata shim + the CoCo guest would do — with the real guest-side
 * protocols; only the TEE hardware is simulated ({@code sample} evidence):
 * <ol>
 *   <li>sandbox: decode the init-data annotation with Kata's strictness; no annotation, no agent policy, a bad
 *       annotation or an unloadable policy/AA/CDH config → Warning event {@code FailedCreatePodSandBox}, pod stays
 *       {@code Pending} with containers waiting {@code ContainerCreating};</li>
 *   <li>attestation: RCAR with the KBS named in {@code aa.toml}/{@code cdh.toml}, sample evidence binding nonce,
 *       TEE key and the init-data digest, the init-data TOML in the Attestation message;</li>
 *   <li>guest pull: manifest and config from the registry (bearer token via the configured endpoint), each encrypted
 *       layer's KEK fetched by its {@code kbs:///} id over the attested session, streamed decryption, diff_id check;</li>
 *   <li>success → status {@code Running}, all conditions {@code True}, containers running and ready, pod IP, start
 *       time; failure → containers waiting {@code RunContainerError} with the cause and a Warning event
 *       {@code Failed}, then a new attempt after back-off, at most {@link KataNodeConfig#maxAttempts()} attempts.</li>
 * </ol>
 * Each pod incarnation (uid) is handled once; a pod recreated under the same name is a new incarnation. A deleted
 * pod is forgotten at once: its running attempt is interrupted and nothing is written for it afterwards. A pod that
 * already shows {@code Running} with every container ready when first seen (e.g. after a simulator restart) is
 * adopted without a new attempt. Tampering ({@link TamperPolicy}) is logged at WARN; every step at INFO.
 *
 * <p>Thread-safe. {@link #start} returns at once; {@link #close} stops everything.
 */
public final class KataNodeSimulator implements AutoCloseable {

    /** What the simulator is doing with a pod. */
    public enum State {
        /** An attempt is scheduled to run now. */
        QUEUED,
        /** An attempt is running. */
        RUNNING,
        /** The last attempt failed; the next one is scheduled after back-off. */
        BACKING_OFF,
        /** The pod is Running and Ready. */
        READY,
        /** The pod was found Running and Ready and left alone. */
        ADOPTED,
        /** Every attempt failed; no more attempts. */
        GAVE_UP
    }

    /**
     * Progress of one pod incarnation.
     *
     * @param namespace   namespace
     * @param name        name
     * @param uid         uid
     * @param state       state
     * @param attempts    attempts started so far
     * @param lastFailure the last attempt's error text, or {@code null}
     */
    public record PodProgress(String namespace, String name, String uid, State state, int attempts,
                              String lastFailure) {
    }

    /**
     * Running totals since start.
     *
     * @param attestations   successful RCAR handshakes at attempt start
     * @param keysFetched    KEKs released by the KBS
     * @param layersVerified layers whose diff_id matched (decrypted or plain)
     * @param podsReady      pods set Running and Ready
     * @param failedAttempts attempts that ended in a sandbox or container failure
     */
    public record Stats(long attestations, long keysFetched, long layersVerified, long podsReady,
                        long failedAttempts) {
    }

    /**
     * The agent policy's decision on {@code kubectl exec}.
     *
     * @param allowed whether {@code ExecProcessRequest} is allowed
     * @param rule    the policy line that decides, or an explanation in parentheses
     */
    public record ExecRule(boolean allowed, String rule) {

        /** @return the kata-agent's text for a refused exec: {@code ExecProcessRequest is blocked by policy: <rule>} */
        public String denialMessage() {
            return "ExecProcessRequest is blocked by policy: " + rule;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KataNodeSimulator.class);

    private final KubernetesClient client;
    private final KataNodeConfig config;
    private final PodStatusWriter writer;
    private final HttpClient registryHttp;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, Work> works = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
    private final Counters counters = new Counters();
    private final AtomicInteger ipCounter = new AtomicInteger();
    private final AtomicInteger activeAttempts = new AtomicInteger();
    private volatile boolean closed;

    private KataNodeSimulator(KubernetesClient client, KataNodeConfig config) {
        this.client = client;
        this.config = config;
        this.writer = new PodStatusWriter(client, config);
        this.registryHttp = Transport.httpClient(config.requestTimeout(), null);
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "kata-sim-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(config.workers(), tf);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts watching and returns at once (informers sync in the background).
     *
     * @param client the Kubernetes client (not closed by {@link #close()})
     * @param config the configuration
     * @return the running simulator
     * @throws NullPointerException when an argument is null
     * @throws UncheckedIOException when the work directory cannot be created
     */
    public static KataNodeSimulator start(KubernetesClient client, KataNodeConfig config) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        try {
            if (!Files.isDirectory(config.workDir())) {
                Files.createDirectories(config.workDir(), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + config.workDir(), e);
        }
        if (config.allowPlainHttpToLoopback()) {
            log.warn("DEVELOPMENT SETTING: plain http to loopback registries, token endpoints and KBS is allowed");
        }
        log.warn("kata-sim: TEE hardware is SIMULATED ('sample' evidence proves nothing); for development and demos "
                + "only");
        KataNodeSimulator sim = new KataNodeSimulator(client, config);
        sim.startInformers();
        log.info("kata-sim node {} watching namespaces {} for runtime classes /{}/, tamper policy {}",
                config.nodeName(), config.namespaces(), config.kataRuntimeClasses(), config.tamperPolicy());
        return sim;
    }

    private void startInformers() {
        for (String ns : config.namespaces()) {
            SharedIndexInformer<Pod> inf = client.pods().inNamespace(ns).runnableInformer(0);
            inf.addEventHandler(new Handler());
            synchronized (informers) {
                informers.add(inf);
            }
            inf.start().whenComplete((v, e) -> {
                if (e != null && !closed) {
                    log.error("kata-sim: pod informer for namespace {} failed to start: {}", ns, e.toString());
                }
            });
        }
    }

    /** @return the configuration */
    public KataNodeConfig config() {
        return config;
    }

    /** @return the running totals */
    public Stats stats() {
        return counters.snapshot();
    }

    /** @return the number of attempts running right now */
    public int activeAttempts() {
        return activeAttempts.get();
    }

    /** @return progress of every tracked pod incarnation, sorted by namespace and name */
    public List<PodProgress> pods() {
        return works.values().stream().map(Work::progress)
                .sorted(Comparator.comparing(PodProgress::namespace).thenComparing(PodProgress::name)).toList();
    }

    /**
     * @param namespace namespace
     * @param name      pod name
     * @return the progress of the tracked incarnation of that pod, empty when not tracked (never seen, not Kata,
     *         deleted)
     */
    public Optional<PodProgress> progress(String namespace, String name) {
        return works.values().stream().filter(w -> w.ref.namespace().equals(namespace) && w.ref.name().equals(name))
                .map(Work::progress).findFirst();
    }

    /**
     * Whether {@code kubectl exec} into the pod would pass its agent policy: the policy's
     * {@code default ExecProcessRequest := true|false} as the orchestrator's generator writes it (see
     * {@link AgentPolicyText#decide}); without init-data or without {@code policy.rego} the guest default applies,
     * which is allow-all.
     *
     * @param pod the pod
     * @return the decision
     * @throws io.cocoplane.initdata.InitDataException when the init-data annotation is malformed
     */
    public boolean execAllowed(Pod pod) {
        return execRule(pod).allowed();
    }

    /**
     * Like {@link #execAllowed(Pod)}, with the policy line that decides, for printing.
     *
     * @param pod the pod
     * @return the decision and its rule text
     * @throws io.cocoplane.initdata.InitDataException when the init-data annotation is malformed
     */
    public ExecRule execRule(Pod pod) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(config.initDataAnnotationKey());
        if (value == null) {
            return new ExecRule(true, "(no init-data: the guest default policy is allow-all)");
        }
        String rego = InitDataAnnotation.decode(value).initData().get(InitData.POLICY_REGO);
        if (rego == null || rego.isBlank()) {
            return new ExecRule(true, "(no policy.rego in init-data: the guest default policy is allow-all)");
        }
        AgentPolicyText.Decision d = AgentPolicyText.decide(rego, "ExecProcessRequest");
        return new ExecRule(d.allowed(), d.rule());
    }

    /** Stops the informers, interrupts running attempts and stops the worker threads (waits up to 10 s). */
    @Override
    public void close() {
        closed = true;
        synchronized (informers) {
            informers.forEach(SharedIndexInformer::stop);
            informers.clear();
        }
        works.values().forEach(Work::cancel);
        works.clear();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("kata-sim: attempts still running 10 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registryHttp.close();
        log.info("kata-sim node {} stopped", config.nodeName());
    }

    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            seen(pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            seen(newPod);
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            Work w = works.remove(pod.getMetadata().getUid());
            if (w != null) {
                w.cancel();
                log.info("pod {}: deleted, forgotten", w.ref);
            }
        }
    }

    private void seen(Pod pod) {
        if (closed || pod.getMetadata() == null || pod.getMetadata().getUid() == null || pod.getSpec() == null
                || !config.isKata(pod.getSpec().getRuntimeClassName())) {
            return;
        }
        PodRef ref = PodRef.of(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Work w = works.remove(ref.uid());
            if (w != null) {
                w.cancel();
                log.info("pod {}: terminating, forgotten", ref);
            }
            return;
        }
        Work fresh = new Work(ref);
        if (works.putIfAbsent(ref.uid(), fresh) != null) {
            return;
        }
        if (runningAndReady(pod)) {
            fresh.state = State.ADOPTED;
            log.info("pod {}: already Running and Ready, adopted", ref);
            return;
        }
        log.info("pod {}: Kata pod (runtime class {}), starting", ref, pod.getSpec().getRuntimeClassName());
        fresh.schedule(Duration.ZERO);
    }

    private static boolean runningAndReady(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())
                || pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream().allMatch(cs -> Boolean.TRUE.equals(cs.getReady()));
    }

    /** One pod incarnation's work. Fields other than the volatile ones are touched by one attempt at a time. */
    private final class Work {
        final PodRef ref;
        volatile State state = State.QUEUED;
        volatile int attempts;
        volatile String lastFailure;
        volatile boolean cancelled;
        volatile boolean timedOut;
        private volatile String firstContainer = "";
        private Future<?> future;
        private ScheduledFuture<?> watchdog;

        Work(PodRef ref) {
            this.ref = ref;
        }

        PodProgress progress() {
            return new PodProgress(ref.namespace(), ref.name(), ref.uid(), state, attempts, lastFailure);
        }

        synchronized void schedule(Duration delay) {
            if (cancelled || closed) {
                return;
            }
            state = delay.isZero() ? State.QUEUED : State.BACKING_OFF;
            future = executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized void cancel() {
            cancelled = true;
            if (future != null) {
                future.cancel(true);
            }
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }

        private synchronized void armWatchdog() {
            Future<?> current = future;
            watchdog = executor.schedule(() -> {
                timedOut = true;
                current.cancel(true);
            }, config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void disarmWatchdog() {
            if (watchdog != null) {
                watchdog.cancel(false);
                watchdog = null;
            }
        }

        private void attempt() {
            if (cancelled || closed) {
                return;
            }
            activeAttempts.incrementAndGet();
            try {
                runAttempt();
            } catch (RuntimeException e) {
                log.error("pod {}: attempt {} crashed", ref, attempts, e);
                failed(GuestFailure.container("kata-sim internal error: " + e, e));
            } finally {
                disarmWatchdog();
                Thread.interrupted(); // a late cancel must not leak into the next task on this thread
                activeAttempts.decrementAndGet();
            }
        }

        private void runAttempt() {
            int n = ++attempts;
            state = State.RUNNING;
            timedOut = false;
            armWatchdog();
            Pod pod;
            try {
                pod = client.pods().inNamespace(ref.namespace()).withName(ref.name()).get();
            } catch (RuntimeException e) {
                log.warn("pod {}: cannot read pod: {}", ref, e.toString());
                failed(GuestFailure.container("cannot read pod: " + e.getMessage(), e));
                return;
            }
            if (pod == null || !ref.uid().equals(pod.getMetadata().getUid())) {
                forget("gone before attempt " + n);
                return;
            }
            if (pod.getSpec().getContainers() != null && !pod.getSpec().getContainers().isEmpty()) {
                firstContainer = pod.getSpec().getContainers().get(0).getName();
            }
            if (n == 1) {
                writer.creating(ref, () -> cancelled);
            }
            TamperMode mode = tamperMode(pod);
            log.info("pod {}: attempt {}/{}{}", ref, n, config.maxAttempts(),
                    mode == TamperMode.NONE ? "" : " (tamper " + mode + ")");
            try {
                List<GuestRun.StartedContainer> started = new GuestRun(config, registryHttp, pod, mode, counters).run();
                if (cancelled) {
                    return;
                }
                int ipIndex = ipCounter.getAndIncrement();
                String ip = "10.244." + (ipIndex / 250 % 256) + "." + (ipIndex % 250 + 2);
                if (writer.running(ref, ip, started, () -> cancelled)) {
                    state = State.READY;
                    lastFailure = null;
                    counters.podsReady.increment();
                    log.info("pod {}: ready (Running, pod IP {}, {} container(s))", ref, ip, started.size());
                }
            } catch (GuestFailure f) {
                Thread.interrupted(); // a late interrupt must not break the status writes below
                failed(timedOut ? timeout(f) : f);
            } catch (InterruptedException e) {
                Thread.interrupted();
                if (timedOut) {
                    failed(timeout(e));
                } else {
                    log.info("pod {}: attempt {} cancelled", ref, n);
                }
            }
        }

        private GuestFailure timeout(Throwable cause) {
            return GuestFailure.container("CreateContainerRequest timed out after " + config.attemptTimeout()
                    + " (context deadline exceeded)", cause);
        }

        private void failed(GuestFailure f) {
            if (cancelled || closed) {
                return;
            }
            counters.failedAttempts.increment();
            lastFailure = f.getMessage();
            log.warn("pod {}: attempt {} failed: {}", ref, attempts, f.getMessage());
            if (f.stage() == GuestFailure.Stage.SANDBOX) {
                writer.warning(ref, "FailedCreatePodSandBox", f.getMessage(), null, () -> cancelled);
            } else {
                writer.runContainerError(ref, f.getMessage(), () -> cancelled);
                writer.warning(ref, "Failed", "Error: " + f.getMessage(), "spec.containers{" + firstContainer + "}",
                        () -> cancelled);
            }
            if (attempts >= config.maxAttempts()) {
                state = State.GAVE_UP;
                log.warn("pod {}: giving up after {} attempts", ref, attempts);
            } else {
                Duration pause = config.backoffAfter(attempts);
                log.info("pod {}: back-off {} before attempt {}", ref, pause, attempts + 1);
                schedule(pause);
            }
        }

        private void forget(String why) {
            works.remove(ref.uid(), this);
            cancelled = true;
            log.info("pod {}: {}, forgotten", ref, why);
        }

        private TamperMode tamperMode(Pod pod) {
            try {
                TamperMode m = config.tamperPolicy().modeFor(pod);
                return m == null ? TamperMode.NONE : m;
            } catch (RuntimeException e) {
                log.warn("pod {}: tamper policy failed ({}); not tampering", ref, e.toString());
                return TamperMode.NONE;
            }
        }
    }
}
