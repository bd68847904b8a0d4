package io.cocoplane.keybroker;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.contracts.PolicyUpdated;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.keybroker.domain.ReleasePolicy;
import io.cocoplane.keybroker.persistence.PolicyRepository;

/**
 * The resource release policy: the stored one (read on every decision so that all replicas agree at once), compiled
 * once per content digest; {@link ReleasePolicy#DEFAULT} while none is stored.
 */
@Service
public class Policies {

    private static final ReleasePolicy DEFAULT = ReleasePolicy.compile(ReleasePolicy.DEFAULT);

    private final PolicyRepository repo;
    private final EventPublisher events;
    private final Clock clock;
    private final AtomicReference<ReleasePolicy> compiled = new AtomicReference<>(DEFAULT);

    /** Spring constructor. */
    public Policies(PolicyRepository repo, EventPublisher events, Clock clock) {
        this.repo = repo;
        this.events = events;
        this.clock = clock;
    }

    /** @return the policy in force */
    public ReleasePolicy current() {
        return repo.find(PolicyRepository.RESOURCE_POLICY).map(p -> {
            ReleasePolicy c = compiled.get();
            if (c.digest().equals(p.digest())) {
                return c;
            }
            ReleasePolicy fresh = ReleasePolicy.compile(p.source());
            compiled.set(fresh);
            return fresh;
        }).orElse(DEFAULT);
    }

    /**
     * Stores a new policy and emits {@code policy.updated} in the same transaction.
     *
     * @param source CEL text
     * @param by     admin subject
     * @return the compiled policy
     * @throws io.cocoplane.keybroker.domain.InvalidPolicyException when it does not compile
     */
    @Transactional
    public ReleasePolicy set(String source, String by) {
        ReleasePolicy p = ReleasePolicy.compile(source);
        repo.save(PolicyRepository.RESOURCE_POLICY, p.source(), p.digest(), by, clock.instant());
        events.publish(new PolicyUpdated(PolicyRepository.RESOURCE_POLICY, "resource", by, p.digest()));
        compiled.set(p);
        return p;
    }

    /** Emits {@code policy.updated} for an attestation policy the attestation service accepted. */
    @Transactional
    public void attestationPolicyUpdated(String policyId, String by, String contentDigest) {
        events.publish(new PolicyUpdated(policyId, "attestation", by, contentDigest));
    }
}
