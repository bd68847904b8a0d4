package io.cocoplane.keybroker.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The stored resource policy ({@code kbs_policy}, id {@code resource-policy}). */
@Repository
public class PolicyRepository {

    /** Id of the resource policy (trustee's). */
    public static final String RESOURCE_POLICY = "resource-policy";

    /**
     * @param source CEL text
     * @param digest {@code sha256:<hex>}
     */
    public record StoredPolicy(String source, String digest) {
    }

    private final JdbcTemplate jdbc;

    /** @param jdbc template */
    public PolicyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the stored policy, if one was set */
    public Optional<StoredPolicy> find(String id) {
        return jdbc.query("SELECT source, digest FROM kbs_policy WHERE id = ?",
                (rs, i) -> new StoredPolicy(rs.getString(1), rs.getString(2)), id).stream().findFirst();
    }

    /** Inserts or replaces a policy. */
    public void save(String id, String source, String digest, String by, Instant now) {
        jdbc.update("INSERT INTO kbs_policy (id, source, digest, updated_by, updated_at) VALUES (?,?,?,?,?)"
                + " ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source, digest = EXCLUDED.digest,"
                + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at", id, source, digest, by,
                Timestamp.from(now));
    }
}
