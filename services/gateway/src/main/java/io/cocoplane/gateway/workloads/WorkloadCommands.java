package io.cocoplane.gateway.workloads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.contracts.WorkloadDeletionRequested;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.domain.WorkloadRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns workload requests into commands on {@code coco.workload.commands}, through the outbox, with
 * {@code Idempotency-Key} support (draft-ietf-httpapi-idempotency-key-header): the key is scoped to the caller's
 * subject and stored in {@code gateway.idempotency_keys} with the SHA-256 of the request (method, path and the
 * canonical JSON of the validated body) and the response, in the same transaction as the event. A second request with
 * the same key and the same fingerprint gets the stored response and publishes nothing; with another fingerprint it
 * fails with {@link IdempotencyKeyReusedException}. Keys are forgotten after {@code idempotency-retention}.
 */
@Service
public class WorkloadCommands {

    private static final Logger log = LoggerFactory.getLogger(WorkloadCommands.class);
    /** Longest accepted {@code Idempotency-Key}. */
    public static final int MAX_KEY_LENGTH = 255;

    private final JdbcTemplate jdbc;
    private final EventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final GatewayProperties props;

    /**
     * @param jdbc   template on schema {@code gateway}
     * @param events outbox publisher
     * @param json   mapper for the fingerprint and the stored response
     * @param props  settings
     */
    public WorkloadCommands(JdbcTemplate jdbc, EventPublisher events, JsonMapper json, GatewayProperties props) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.clock = Clock.systemUTC();
        this.props = props;
    }

    /**
     * The answer to an accepted request.
     *
     * @param workloadId the workload id
     * @param body       the JSON response body
     * @param replayed   whether it is a stored answer to an earlier request with the same key
     */
    public record Accepted(String workloadId, byte[] body, boolean replayed) {
    }

    /**
     * @param subject        caller subject ({@code requestedBy})
     * @param idempotencyKey the key, or null
     * @param request        the request, not yet validated
     * @return the accepted answer
     * @throws InvalidRequestException        when the request or the key is invalid
     * @throws IdempotencyKeyReusedException when the key was used with another request
     */
    @Transactional
    public Accepted request(String subject, String idempotencyKey, WorkloadRequest request) {
        WorkloadRequest valid = request.validated();
        String id = UUID.randomUUID().toString();
        byte[] body = json.writeValueAsBytes(new WorkloadAcceptedBody(id, "REQUESTED"));
        if (idempotencyKey != null) {
            checkKey(idempotencyKey);
            byte[] fingerprint = fingerprint("POST /api/v1/workloads", json.writeValueAsBytes(valid));
            int inserted = jdbc.update("INSERT INTO idempotency_keys (subject, idem_key, request_hash, workload_id,"
                            + " status, response_body, created_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    subject, idempotencyKey, fingerprint, id, 202, body, Timestamp.from(clock.instant()));
            if (inserted == 0) {
                List<Accepted> earlier = jdbc.query("SELECT request_hash, workload_id, response_body FROM"
                                + " idempotency_keys WHERE subject = ? AND idem_key = ?",
                        (rs, n) -> Arrays.equals(rs.getBytes(1), fingerprint)
                                ? new Accepted(rs.getString(2), rs.getBytes(3), true) : null,
                        subject, idempotencyKey);
                if (earlier.isEmpty() || earlier.get(0) == null) {
                    throw new IdempotencyKeyReusedException();
                }
                return earlier.get(0);
            }
        }
        events.publish(valid.toCommand(id, subject));
        log.info("workload {} requested by {}", id, subject);
        return new Accepted(id, body, false);
    }

    /**
     * @param subject    caller subject
     * @param workloadId the workload
     */
    @Transactional
    public void requestDeletion(String subject, UUID workloadId) {
        events.publish(new WorkloadDeletionRequested(workloadId.toString(), subject));
        log.info("deletion of workload {} requested by {}", workloadId, subject);
    }

    /** Forgets keys older than the retention; runs every 10 minutes. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    @Transactional
    public void forgetOldKeys() {
        Instant cutoff = clock.instant().minus(props.idempotencyRetention());
        jdbc.update("DELETE FROM idempotency_keys WHERE created_at < ?", Timestamp.from(cutoff));
    }

    /** JSON body of a 202 answer. @param id workload id @param status always {@code REQUESTED} */
    public record WorkloadAcceptedBody(String id, String status) {
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters");
        }
    }

    private static byte[] fingerprint(String target, byte[] canonicalBody) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(target.getBytes(StandardCharsets.US_ASCII));
            md.update((byte) 0);
            return md.digest(canonicalBody);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
