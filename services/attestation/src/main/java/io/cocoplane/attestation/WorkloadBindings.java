package io.cocoplane.attestation;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.contracts.WorkloadStateChanged;

/**
 * The init-data digests of live workloads ({@code attestation.workload_binding}), learnt from
 * {@code workload.scheduled} and forgotten on {@code workload.state-changed} to {@code TERMINATED} or {@code FAILED}.
 * A verified init-data digest that equals a live workload's (full digest, lowercase hex) names that workload; when
 * several live workloads share a digest (replicas with identical init-data) the most recently scheduled one is named.
 */
public class WorkloadBindings {

    /** States after which a workload's digest no longer names it. */
    public static final Set<String> FINAL_STATES = Set.of("TERMINATED", "FAILED");

    private final JdbcTemplate jdbc;
    private final Clock clock;

    /**
     * @param jdbc  template on the service's data source
     * @param clock clock for {@code scheduled_at}
     */
    public WorkloadBindings(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param e a consumed {@code workload.scheduled}
     */
    public void scheduled(WorkloadScheduled e) {
        jdbc.update("INSERT INTO workload_binding (workload_id, init_data_digest, algorithm, tee, scheduled_at) "
                        + "VALUES (?,?,?,?,?) ON CONFLICT (workload_id) DO UPDATE SET "
                        + "init_data_digest = EXCLUDED.init_data_digest, algorithm = EXCLUDED.algorithm, "
                        + "tee = EXCLUDED.tee, scheduled_at = EXCLUDED.scheduled_at",
                e.workloadId(), e.initDataDigest().toLowerCase(Locale.ROOT), e.initDataAlgorithm(), e.tee(),
                Timestamp.from(clock.instant()));
    }

    /**
     * @param e a consumed {@code workload.state-changed}
     */
    public void stateChanged(WorkloadStateChanged e) {
        if (FINAL_STATES.contains(e.to())) {
            jdbc.update("DELETE FROM workload_binding WHERE workload_id = ?", e.workloadId());
        }
    }

    /**
     * @param initDataDigestHex a verified init-data digest, lowercase hex
     * @return the live workload it names, or empty
     */
    public Optional<String> workloadFor(String initDataDigestHex) {
        List<String> ids = jdbc.queryForList("SELECT workload_id FROM workload_binding WHERE init_data_digest = ? "
                + "ORDER BY scheduled_at DESC, workload_id LIMIT 1", String.class, initDataDigestHex);
        return ids.stream().findFirst();
    }
}
