package io.cocoplane.keybroker.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import io.cocoplane.keybroker.domain.WorkloadBinding;

/**
 * Workload bindings ({@code kbs_workload_binding}) and image KEK ids ({@code kbs_image_keys}). A binding's allowed
 * paths are its scheduled list plus the key paths of every pushed image with its manifest digest, joined at read time
 * so either event may arrive first.
 */
@Repository
public class BindingRepository {

    private final JdbcTemplate jdbc;

    /** @param jdbc template */
    public BindingRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts or refreshes a live binding; a tombstoned (dead) workload stays dead. */
    public void schedule(String workloadId, String digest, String lookupKey, String imageDigest, String tee,
                         List<String> allowed, Instant now) {
        jdbc.update("INSERT INTO kbs_workload_binding (workload_id, init_data_digest, lookup_key, image_digest, tee,"
                + " allowed_resources, live, updated_at) VALUES (?,?,?,?,?,?,true,?)"
                + " ON CONFLICT (workload_id) DO UPDATE SET init_data_digest = EXCLUDED.init_data_digest,"
                + " lookup_key = EXCLUDED.lookup_key, image_digest = EXCLUDED.image_digest, tee = EXCLUDED.tee,"
                + " allowed_resources = EXCLUDED.allowed_resources, updated_at = EXCLUDED.updated_at"
                + " WHERE kbs_workload_binding.live", workloadId, digest, lookupKey, imageDigest, tee,
                String.join("\n", allowed), Timestamp.from(now));
    }

    /** Marks a workload dead (creating a tombstone when its schedule has not arrived yet). */
    public void kill(String workloadId, Instant now) {
        jdbc.update("INSERT INTO kbs_workload_binding (workload_id, init_data_digest, lookup_key, image_digest, tee,"
                + " allowed_resources, live, updated_at) VALUES (?, '', '', '', '', '', false, ?)"
                + " ON CONFLICT (workload_id) DO UPDATE SET live = false, updated_at = EXCLUDED.updated_at",
                workloadId, Timestamp.from(now));
    }

    /** Records the KEK paths of a pushed image. */
    public void imageKeys(String imageDigest, String repository, List<String> paths, Instant now) {
        jdbc.update("INSERT INTO kbs_image_keys (image_digest, repository, key_paths, updated_at) VALUES (?,?,?,?)"
                + " ON CONFLICT (image_digest, repository) DO UPDATE SET key_paths = EXCLUDED.key_paths,"
                + " updated_at = EXCLUDED.updated_at", imageDigest, repository, String.join("\n", paths),
                Timestamp.from(now));
    }

    /**
     * One statement (the image keys are aggregated by a correlated subquery), so a release holds one pooled
     * connection: a nested query from the row callback would need a second one while the first is held, and a few
     * concurrent releases would then exhaust the pool and wait for each other until its connection timeout.
     *
     * @return live bindings whose digest shares the lookup key (first 32 bytes), with image keys added
     */
    public List<WorkloadBinding> liveByLookupKey(String lookupKey) {
        return jdbc.query("SELECT b.workload_id, b.init_data_digest, b.image_digest, b.tee, b.allowed_resources,"
                        + " (SELECT string_agg(NULLIF(k.key_paths, ''), E'\\n' ORDER BY k.repository)"
                        + " FROM kbs_image_keys k WHERE k.image_digest = b.image_digest) AS image_key_paths"
                        + " FROM kbs_workload_binding b WHERE b.live AND b.lookup_key = ? ORDER BY b.workload_id"
                        + " LIMIT 100",
                (rs, i) -> {
                    Set<String> allowed = new LinkedHashSet<>(split(rs.getString("allowed_resources")));
                    allowed.addAll(split(rs.getString("image_key_paths")));
                    return new WorkloadBinding(rs.getString("workload_id"), rs.getString("init_data_digest"),
                            rs.getString("image_digest"), rs.getString("tee"), List.copyOf(allowed), true);
                }, lookupKey);
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }
}
