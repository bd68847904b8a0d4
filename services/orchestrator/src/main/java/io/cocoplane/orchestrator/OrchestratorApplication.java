package io.cocoplane.orchestrator;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.LayerInfo;
import io.cocoplane.eventing.EventEnvelope;
import io.cocoplane.eventing.EventSubscription;
import io.cocoplane.eventing.PoisonRecordException;
import io.cocoplane.initdata.DigestAlgorithm;
import io.cocoplane.orchestrator.domain.Deadlines;
import io.cocoplane.orchestrator.domain.WorkloadStateMachine;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.cocoplane.orchestrator.k8s.PodSettings;
import io.cocoplane.orchestrator.persistence.ProjectionRepository;

/**
 * The orchestrator service (port 8083, schema {@code orchestrator}): consumes workload commands, keeps projections of
 * images and key-broker resources, creates Kata confidential pods and tracks each workload's lifecycle.
 */
@SpringBootApplication
@EnableConfigurationProperties(OrchestratorProperties.class)
public class OrchestratorApplication {

    private static final Logger log = LoggerFactory.getLogger(OrchestratorApplication.class);

    /** Largest number of tags, layers or key ids accepted in one {@code image.pushed}. */
    static final int MAX_IMAGE_ITEMS = 1024;

    /** @param args command-line arguments */
    public static void main(String[] args) {
        SpringApplication.run(OrchestratorApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WorkloadStateMachine workloadStateMachine(OrchestratorProperties props) {
        var d = props.deadlines();
        return new WorkloadStateMachine(new Deadlines(d.scheduling(), d.attestation(), d.readiness()));
    }

    @Bean
    PodPlanner podPlanner(OrchestratorProperties props) {
        Map<String, DigestAlgorithm> algorithms = new HashMap<>();
        props.initData().algorithms().forEach((tee, name) -> algorithms.put(tee, DigestAlgorithm.fromTomlName(name)));
        var init = props.initData();
        if ("http".equals(init.kbsUrl().getScheme())) {
            log.warn("KBS URL {} is plain HTTP: guests attest without TLS; use only for a local stack", init.kbsUrl());
        }
        var pod = props.pod();
        return new PodPlanner(new PodSettings(props.runtimeClasses(), algorithms, init.annotationKey(), init.kbsUrl(),
                init.kbsCertificatePem(), props.registry(), pod.defaultCpu(), pod.defaultMemory(), pod.runAsNonRoot(),
                pod.runAsUser(), pod.runAsGroup(), pod.restartPolicy(), pod.allowCopyFile()));
    }

    @Bean
    EventSubscription orchestratorSubscription(WorkloadService workloads, ProjectionRepository projections,
                                               Clock clock) {
        return EventSubscription.group("orchestrator")
                .on(EventCatalog.WORKLOAD_REQUESTED, e -> workloads.request(e.data(), e.id()))
                .on(EventCatalog.WORKLOAD_DELETION_REQUESTED, e -> workloads.delete(e.data().workloadId(), e.id()))
                .on(EventCatalog.IMAGE_PUSHED, e -> {
                    checkImage(e.data());
                    projections.imagePushed(e.data(), time(e, clock));
                })
                .on(EventCatalog.IMAGE_DELETED, e -> projections.imageDeleted(e.data()))
                .on(EventCatalog.KEY_RESOURCE_UPDATED, e -> projections.keyUpdated(e.data().resourcePath(),
                        e.data().version(), time(e, clock)))
                .on(EventCatalog.KEY_RESOURCE_DELETED, e -> projections.keyDeleted(e.data().resourcePath()))
                .on(EventCatalog.ATTESTATION_COMPLETED, e -> workloads.attestationCompleted(e.data(), e.id()))
                .on(EventCatalog.KEY_RELEASED, e -> workloads.keyReleased(e.data(), e.id()))
                .on(EventCatalog.KEY_DENIED, e -> workloads.keyDenied(e.data(), e.id()))
                .build();
    }

    private static Instant time(EventEnvelope<?> e, Clock clock) {
        return e.time() != null ? e.time().toInstant() : clock.instant();
    }

    private static void checkImage(ImagePushed p) {
        int keyIds = p.keyIds().size();
        for (LayerInfo l : p.layers()) {
            keyIds += l.keyIds().size();
        }
        if (p.tags().size() > MAX_IMAGE_ITEMS || p.layers().size() > MAX_IMAGE_ITEMS || keyIds > MAX_IMAGE_ITEMS
                || p.repository().length() > 256 || List.copyOf(p.tags()).stream().anyMatch(t -> t.length() > 128)) {
            throw new PoisonRecordException("image.pushed for " + p.repository().substring(0,
                    Math.min(64, p.repository().length())) + " exceeds the orchestrator's limits");
        }
    }
}
