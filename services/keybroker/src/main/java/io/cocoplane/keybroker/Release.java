package io.cocoplane.keybroker;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.KeyDenied;
import io.cocoplane.contracts.KeyReleased;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.TeePubKey;
import io.cocoplane.keybroker.domain.EarToken;
import io.cocoplane.keybroker.domain.EarTokenVerifier;
import io.cocoplane.keybroker.domain.EnvelopeCipher;
import io.cocoplane.keybroker.domain.InitDataDigests;
import io.cocoplane.keybroker.domain.KbsException;
import io.cocoplane.keybroker.domain.ReleaseInput;
import io.cocoplane.keybroker.domain.ReleasePolicy;
import io.cocoplane.keybroker.domain.WorkloadBinding;
import io.cocoplane.keybroker.persistence.BindingRepository;
import io.cocoplane.keybroker.persistence.ResourceRepository;
import io.cocoplane.keybroker.persistence.SessionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Resource release ({@code GET /kbs/v0/resource/...}, note §1.1 pipeline with cocoplane's stricter rules):
 * <ol>
 *   <li>the path must be {@code repository/type/tag} ({@link ResourcePath}); otherwise 404 before any storage access;</li>
 *   <li>a token: the attested session's (cookie) or a {@code Bearer} EAR token, verified against the JWKS every time
 *       (401 otherwise; its signature once per token, {@link EarTokenVerifier});</li>
 *   <li>{@code sample}-TEE tokens are refused unless enabled (403);</li>
 *   <li>the workload binding: live workloads whose init-data digest matches the token's init-data claim (narrowed by the
 *       workload-id claim when present; none or several → no binding);</li>
 *   <li>the CEL policy (403 {@code PolicyDeny} when it says no);</li>
 *   <li>the resource (404 when absent), opened and encrypted to the token's TEE key as a JWE (note §2.4).</li>
 * </ol>
 * Every outcome after step 1 is an event: {@code key.released} or {@code key.denied} (committed before the answer).
 */
@Service
public class Release {

    private final SessionRepository sessions;
    private final EarTokenVerifier verifier;
    private final BindingRepository bindings;
    private final ResourceRepository resources;
    private final Policies policies;
    private final EnvelopeCipher cipher;
    private final MasterKeys masterKeys;
    private final JweCodec jwe;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final KeyBrokerProperties props;
    private final java.time.Clock clock;
    private final Counter storageReads;

    /** Spring constructor. */
    public Release(SessionRepository sessions, EarTokenVerifier verifier, BindingRepository bindings,
                   ResourceRepository resources, Policies policies, EnvelopeCipher cipher, MasterKeys masterKeys,
                   JweCodec jwe, EventPublisher events, TransactionTemplate tx, KeyBrokerProperties props,
                   java.time.Clock clock, MeterRegistry meters) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.bindings = bindings;
        this.resources = resources;
        this.policies = policies;
        this.cipher = cipher;
        this.masterKeys = masterKeys;
        this.jwe = jwe;
        this.events = events;
        this.tx = tx;
        this.props = props;
        this.clock = clock;
        this.storageReads = meters.counter("cocoplane.keybroker.resource.reads");
    }

    /**
     * @param rawPath       the path after {@code /kbs/v0/resource/}, undecoded
     * @param sessionId     the cookie value, or null
     * @param authorization the {@code Authorization} header, or null
     * @return the JWE
     * @throws KbsException 404/401/403 as described on the class
     */
    public Response release(String rawPath, String sessionId, String authorization) {
        ResourcePath path = ResourcePaths.parse(rawPath);
        String p = path.toString();
        EarToken token;
        try {
            token = verifier.verify(tokenOf(sessionId, authorization));
        } catch (KbsException e) {
            deny(new KeyDenied(p, null, null, null, null, e.variant() + ": " + e.getMessage()));
            throw e;
        }
        String tee = token.tee().orElse("");
        String initData = token.text(props.claims().initData()).map(InitDataDigests::normalize).orElse("");
        String workloadClaim = token.text(props.claims().workloadId()).orElse("");
        String jti = token.jti().orElse(null);
        if ("sample".equals(tee) && !props.sampleTee().enabled()) {
            String reason = "sample TEE tokens are refused (cocoplane.keybroker.sample-tee.enabled=false)";
            deny(new KeyDenied(p, tee, nullIfEmpty(initData), null, jti, reason));
            throw KbsException.policyDeny(reason);
        }
        Optional<WorkloadBinding> binding = bind(initData, workloadClaim);
        ReleaseInput input = new ReleaseInput(token, tee, initData, workloadClaim, binding, path);
        ReleasePolicy policy = policies.current();
        ReleasePolicy.Decision d = policy.evaluate(input.toCel());
        String workloadId = binding.map(WorkloadBinding::workloadId).orElse(null);
        if (!d.allowed()) {
            String reason = input.explainDenial() + " (" + d.reason() + ")";
            deny(new KeyDenied(p, tee, nullIfEmpty(initData), workloadId, jti, reason));
            throw KbsException.policyDeny("Access denied by policy: " + reason);
        }
        TeePubKey teeKey = token.teePubKey();
        Response out = tx.execute(status -> {
            storageReads.increment();
            Optional<ResourceRepository.StoredVersion> stored = resources.current(p);
            if (stored.isEmpty()) {
                return null;
            }
            ResourceRepository.StoredVersion v = stored.get();
            byte[] plain = cipher.open(masterKeys.current(), p, v.version(), v.sealed());
            Response r;
            try {
                r = jwe.encrypt(plain, teeKey);
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
            events.publish(new KeyReleased(p, tee.isEmpty() ? "unknown" : tee, nullIfEmpty(initData), workloadId, jti,
                    d.reason()));
            return r;
        });
        if (out == null) {
            deny(new KeyDenied(p, tee, nullIfEmpty(initData), workloadId, jti, "resource not found"));
            throw KbsException.resourceNotFound("no resource at " + p);
        }
        return out;
    }

    private Optional<WorkloadBinding> bind(String initData, String workloadClaim) {
        if (initData.isEmpty()) {
            return Optional.empty();
        }
        List<WorkloadBinding> candidates = bindings.liveByLookupKey(InitDataDigests.lookupKey(initData)).stream()
                .filter(b -> InitDataDigests.matches(initData, b.initDataDigest()))
                .filter(b -> workloadClaim.isEmpty() || b.workloadId().equals(workloadClaim))
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    private String tokenOf(String sessionId, String authorization) {
        if (sessionId != null) {
            Optional<SessionRepository.Session> s = sessions.findLive(sessionId, clock.instant());
            if (s.isPresent() && s.get().token() != null) {
                return s.get().token();
            }
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        throw KbsException.tokenNotFound("no attested kbs-session-id cookie and no Authorization: Bearer token");
    }

    private void deny(KeyDenied event) {
        tx.executeWithoutResult(s -> events.publish(event));
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
