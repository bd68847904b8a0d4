package io.cocoplane.attestation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.attestation.core.AttestationRequest;
import io.cocoplane.attestation.core.BadRequestException;
import io.cocoplane.attestation.core.CelPolicy;
import io.cocoplane.attestation.core.EarStatus;
import io.cocoplane.attestation.core.EarTokenIssuer;
import io.cocoplane.attestation.core.EvidenceAppraiser;
import io.cocoplane.attestation.core.VerificationRefusedException;
import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.eventing.EventPublisher;

/**
 * One verification, end to end: resolve the policy, verify the evidence ({@link EvidenceAppraiser}), evaluate the
 * CEL policy against the live reference values, name the workload whose init-data digest matched, sign the EAR token,
 * and — in one transaction — record the verification in {@code attestation.verification} and publish
 * {@code attestation.completed} through the outbox. A refused verification is recorded and published too (status
 * {@code contraindicated}, empty trust vector, {@code failureReason} = the failed check) before the refusal is
 * rethrown.
 */
public class AttestationService {

    private static final Logger log = LoggerFactory.getLogger(AttestationService.class);

    private final EvidenceAppraiser appraiser;
    private final PolicyStore policies;
    private final ReferenceValueStore referenceValues;
    private final WorkloadBindings workloads;
    private final EarTokenIssuer issuer;
    private final EventPublisher events;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    AttestationService(EvidenceAppraiser appraiser, PolicyStore policies, ReferenceValueStore referenceValues,
                       WorkloadBindings workloads, EarTokenIssuer issuer, EventPublisher events, JdbcTemplate jdbc,
                       TransactionTemplate tx, Clock clock) {
        this.appraiser = appraiser;
        this.policies = policies;
        this.referenceValues = referenceValues;
        this.workloads = workloads;
        this.issuer = issuer;
        this.events = events;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * @param request a parsed request
     * @return the issued token
     * @throws VerificationRefusedException when the evidence is refused (already recorded and published)
     * @throws BadRequestException          when the requested policy does not exist
     */
    public EarTokenIssuer.Issued attest(AttestationRequest request) throws VerificationRefusedException {
        String policyId = request.policyIds().get(0);
        CelPolicy policy = policies.resolve(policyId).orElseThrow(() -> new BadRequestException("no policy \""
                + policyId + "\" (nor \"" + policyId + "_cpu\") is stored"));
        String evidenceDigest = "sha256:" + sha256Hex(request.evidence());
        String tee = request.tee().wireName();
        EvidenceAppraiser.Verified verified;
        try {
            verified = appraiser.verify(request);
        } catch (VerificationRefusedException e) {
            record(new AttestationCompleted(evidenceDigest, tee, EarStatus.CONTRAINDICATED.wireName(), Map.of(),
                    null, null, null, null, e.check()));
            log.info("attestation refused: tee={} evidence={} check={}", tee, evidenceDigest, e.check());
            throw e;
        }
        CelPolicy.Appraisal appraisal = policy.evaluate(verified.policyInput(), referenceValues.lookup());
        String initHex = verified.initData() == null ? null : verified.initData().hex();
        String workloadId = initHex == null ? null : workloads.workloadFor(initHex).orElse(null);
        EarTokenIssuer.Issued token = issuer.issue(verified, appraisal, policyId, workloadId);
        record(new AttestationCompleted(evidenceDigest, tee, appraisal.status().wireName(),
                appraisal.trustVector().values(), verified.measurement(), initHex, workloadId, token.jti(), null));
        log.info("attestation completed: tee={} evidence={} status={} workload={} token={}", tee, evidenceDigest,
                appraisal.status().wireName(), workloadId, token.jti());
        return token;
    }

    private void record(AttestationCompleted event) {
        tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO verification (id, evidence_digest, tee, status, workload_id, token_id, "
                            + "failure_reason, created_at) VALUES (?,?,?,?,?,?,?,?)",
                    UUID.randomUUID(), event.evidenceDigest(), event.tee(), event.status(), event.workloadId(),
                    event.tokenId(), event.failureReason(), Timestamp.from(clock.instant()));
            events.publish(event);
        });
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
