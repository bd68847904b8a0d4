package io.cocoplane.keybroker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.contracts.WorkloadStateChanged;
import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.keybroker.domain.InitDataDigests;
import io.cocoplane.keybroker.domain.WorkloadBinding;
import io.cocoplane.keybroker.persistence.BindingRepository;

/**
 * Keeps the workload bindings from {@code coco.workload.events} and {@code coco.image.events} (handlers run in the
 * inbox transaction of the eventing library, so a redelivered event has its effect once). Paths that are not valid
 * resource paths (note §1.1) are dropped with a warning; they could never be requested anyway.
 */
@Service
public class WorkloadBindings {

    private static final Logger log = LoggerFactory.getLogger(WorkloadBindings.class);
    /** Lifecycle states that end a binding. */
    static final Set<String> DEAD = Set.of("TERMINATED", "FAILED");

    private final BindingRepository repo;
    private final Clock clock;

    /**
     * @param repo  bindings
     * @param clock clock
     */
    public WorkloadBindings(BindingRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /** @param e a scheduled workload: its init-data digest now maps to it and its allowed resources */
    public void scheduled(WorkloadScheduled e) {
        String digest = InitDataDigests.normalize(e.initDataDigest());
        if (digest == null) {
            log.warn("workload.scheduled {} has an init-data digest that is not hex; no binding", e.workloadId());
            return;
        }
        repo.schedule(e.workloadId(), digest, InitDataDigests.lookupKey(digest), e.imageDigest(), e.tee(),
                validPaths(e.allowedResources(), e.workloadId()), clock.instant());
    }

    /** @param e a lifecycle change: TERMINATED or FAILED ends the binding */
    public void stateChanged(WorkloadStateChanged e) {
        if (DEAD.contains(e.to())) {
            repo.kill(e.workloadId(), clock.instant());
        }
    }

    /** @param e a pushed image: its KEK ids become allowed for the workloads running it */
    public void imagePushed(ImagePushed e) {
        if (e.keyIds().isEmpty()) {
            return;
        }
        repo.imageKeys(e.digest(), e.repository(), validPaths(e.keyIds(), e.subject()), clock.instant());
    }

    private static List<String> validPaths(List<String> ids, String who) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            String p = WorkloadBinding.resourcePathOf(id);
            try {
                out.add(ResourcePath.parse(p).toString());
            } catch (KbsProtocolException ex) {
                log.warn("{}: ignoring {}: {}", who, id, ex.getMessage());
            }
        }
        return out;
    }
}
