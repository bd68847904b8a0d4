package io.cocoplane.orchestrator.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import io.cocoplane.orchestrator.domain.FailureReason;
import io.cocoplane.orchestrator.domain.Lifecycle;
import io.cocoplane.orchestrator.domain.Transition;
import io.cocoplane.orchestrator.domain.WorkloadSpec;
import io.cocoplane.orchestrator.domain.WorkloadState;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Workloads, their lifecycle and history, in schema {@code orchestrator}. */
@Repository
public class WorkloadRepository {

    /**
     * A workload row.
     *
     * @param spec      what was requested
     * @param lifecycle the lifecycle
     * @param placement where it runs, or {@code null} before the pod was created
     * @param updatedAt last change
     */
    public record Workload(WorkloadSpec spec, Lifecycle lifecycle, Placement placement, Instant updatedAt) {
    }

    /**
     * Facts fixed when the pod was created.
     *
     * @param podName           pod name
     * @param podUid            pod UID
     * @param runtimeClass      RuntimeClass
     * @param image             image pinned by digest
     * @param imageDigest       manifest digest
     * @param initDataDigest    init-data digest (hex)
     * @param initDataAlgorithm init-data algorithm
     * @param allowedResources  KBS resource paths the workload may receive
     */
    public record Placement(String podName, String podUid, String runtimeClass, String image, String imageDigest,
                            String initDataDigest, String initDataAlgorithm, List<String> allowedResources) {
    }

    /** A history row. */
    public record HistoryEntry(long seq, String from, String to, String reason, String detail, String cause,
                               Instant at) {
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, name, namespace, requested_image, tee, resources, allow_exec, allow_logs,"
            + " cpu, memory, requested_by, state, reason, detail, pod_ready, attested, requested_at, scheduled_at,"
            + " updated_at, pod_name, pod_uid, runtime_class, image, image_digest, init_data_digest,"
            + " init_data_algorithm, allowed_resources";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    WorkloadRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return whether the row was inserted (false when the id exists) */
    public boolean insert(WorkloadSpec s, Lifecycle l) {
        return jdbc.update("INSERT INTO workload (id, name, namespace, requested_image, tee, resources, allow_exec,"
                        + " allow_logs, cpu, memory, requested_by, state, requested_at, updated_at)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                s.id(), s.name(), s.namespace(), s.image(), s.tee(), json.writeValueAsString(s.resources()),
                s.allowExec(), s.allowLogs(), s.cpu(), s.memory(), s.requestedBy(), l.state().name(),
                Timestamp.from(l.requestedAt()), Timestamp.from(l.requestedAt())) == 1;
    }

    /** Reads a workload and locks its row until the end of the transaction. */
    public Optional<Workload> lock(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM workload WHERE id = ? FOR UPDATE", this::map, id).stream()
                .findFirst();
    }

    /** Reads a workload without locking. */
    public Optional<Workload> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM workload WHERE id = ?", this::map, id).stream().findFirst();
    }

    /** @return workloads ordered by request time, newest first */
    public List<Workload> list(int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM workload ORDER BY requested_at DESC, id LIMIT ? OFFSET ?",
                this::map, limit, offset);
    }

    /** @return the id of the workload running the named pod */
    public Optional<String> idByPod(String namespace, String podName) {
        return jdbc.queryForList("SELECT id FROM workload WHERE namespace = ? AND pod_name = ?", String.class,
                namespace, podName).stream().findFirst();
    }

    /** @return ids of workloads that still need reconciling (neither FAILED nor TERMINATED) */
    public List<String> activeIds() {
        return jdbc.queryForList("SELECT id FROM workload WHERE state NOT IN ('FAILED', 'TERMINATED')"
                + " ORDER BY requested_at", String.class);
    }

    /** Stores the lifecycle. */
    public void update(String id, Lifecycle l, Instant now) {
        jdbc.update("UPDATE workload SET state = ?, reason = ?, detail = ?, pod_ready = ?, attested = ?,"
                        + " scheduled_at = ?, updated_at = ? WHERE id = ?",
                l.state().name(), l.reason() == null ? null : l.reason().name(), l.detail(), l.podReady(),
                l.attested(), l.scheduledAt() == null ? null : Timestamp.from(l.scheduledAt()), Timestamp.from(now),
                id);
    }

    /** Stores where the workload runs. */
    public void place(String id, Placement p) {
        jdbc.update("UPDATE workload SET pod_name = ?, pod_uid = ?, runtime_class = ?, image = ?, image_digest = ?,"
                        + " init_data_digest = ?, init_data_algorithm = ?, allowed_resources = ? WHERE id = ?",
                p.podName(), p.podUid(), p.runtimeClass(), p.image(), p.imageDigest(), p.initDataDigest(),
                p.initDataAlgorithm(), json.writeValueAsString(p.allowedResources()), id);
    }

    /** Appends a transition to the history. */
    public void append(String id, Transition t) {
        jdbc.update("INSERT INTO workload_history (workload_id, from_state, to_state, reason, detail, cause, at)"
                        + " VALUES (?,?,?,?,?,?,?)",
                id, t.from() == null ? null : t.from().name(), t.to().name(),
                t.reason() == null ? null : t.reason().name(), t.detail(), t.cause(), Timestamp.from(t.at()));
    }

    /** @return the history, oldest first */
    public List<HistoryEntry> history(String id) {
        return jdbc.query("SELECT seq, from_state, to_state, reason, detail, cause, at FROM workload_history"
                        + " WHERE workload_id = ? ORDER BY seq",
                (rs, i) -> new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()), id);
    }

    private Workload map(ResultSet rs, int i) throws SQLException {
        WorkloadSpec spec = new WorkloadSpec(rs.getString("id"), rs.getString("name"), rs.getString("namespace"),
                rs.getString("requested_image"), rs.getString("tee"), json.readValue(rs.getString("resources"), STRINGS),
                rs.getBoolean("allow_exec"), rs.getBoolean("allow_logs"), rs.getString("cpu"), rs.getString("memory"),
                rs.getString("requested_by"));
        String reason = rs.getString("reason");
        Timestamp scheduled = rs.getTimestamp("scheduled_at");
        Lifecycle lifecycle = new Lifecycle(WorkloadState.valueOf(rs.getString("state")),
                reason == null ? null : FailureReason.valueOf(reason), rs.getString("detail"),
                rs.getBoolean("pod_ready"), rs.getBoolean("attested"), rs.getTimestamp("requested_at").toInstant(),
                scheduled == null ? null : scheduled.toInstant());
        Placement placement = null;
        if (rs.getString("pod_name") != null) {
            String allowed = rs.getString("allowed_resources");
            placement = new Placement(rs.getString("pod_name"), rs.getString("pod_uid"), rs.getString("runtime_class"),
                    rs.getString("image"), rs.getString("image_digest"), rs.getString("init_data_digest"),
                    rs.getString("init_data_algorithm"), allowed == null ? List.of() : json.readValue(allowed, STRINGS));
        }
        return new Workload(spec, lifecycle, placement, rs.getTimestamp("updated_at").toInstant());
    }
}
