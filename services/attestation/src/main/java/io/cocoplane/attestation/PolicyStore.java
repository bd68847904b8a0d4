package io.cocoplane.attestation;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.cocoplane.attestation.core.CelPolicy;

/**
 * CEL appraisal policies in {@code attestation.policy}, compiled on read and cached by document text. Which policy a
 * request uses: the requested id itself when stored, else {@code <id>_cpu} (trustee's naming, so the default request
 * id {@code default} selects {@code default_cpu}); storing a policy under {@code default} is therefore honoured, not
 * silently ignored as in trustee issue #964.
 */
public class PolicyStore {

    /** The built-in CPU policy id. */
    public static final String DEFAULT_CPU = "default_cpu";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ConcurrentHashMap<String, CelPolicy> compiled = new ConcurrentHashMap<>();

    /**
     * @param jdbc  template on the service's data source
     * @param clock clock for {@code updated_at}
     */
    public PolicyStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Stores the built-in policy unless one is stored under its id.
     *
     * @param id       policy id
     * @param document the policy document
     */
    public void installIfAbsent(String id, String document) {
        CelPolicy.parse(document);
        jdbc.update("INSERT INTO policy (id, document, updated_by, updated_at) VALUES (?,?,?,?) "
                + "ON CONFLICT (id) DO NOTHING", id, document, "built-in", Timestamp.from(clock.instant()));
    }

    /**
     * Inserts or replaces a policy (the caller has compiled it).
     *
     * @param id        policy id
     * @param document  the document text
     * @param updatedBy the admin
     */
    public void put(String id, String document, String updatedBy) {
        jdbc.update("INSERT INTO policy (id, document, updated_by, updated_at) VALUES (?,?,?,?) "
                        + "ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, "
                        + "updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
                id, document, updatedBy, Timestamp.from(clock.instant()));
    }

    /**
     * @param id a policy id
     * @return the stored document text, or empty
     */
    public Optional<String> document(String id) {
        List<String> rows = jdbc.queryForList("SELECT document FROM policy WHERE id = ?", String.class, id);
        return rows.stream().findFirst();
    }

    /**
     * @param requestedId the id from the request
     * @return the compiled policy for it ({@code id}, else {@code id_cpu}), or empty when neither is stored
     */
    public Optional<CelPolicy> resolve(String requestedId) {
        // one round trip for both candidates
        Map<String, String> found = new HashMap<>();
        jdbc.query("SELECT id, document FROM policy WHERE id IN (?, ?)",
                (RowCallbackHandler) rs -> found.put(rs.getString(1), rs.getString(2)), requestedId,
                requestedId + "_cpu");
        Optional<String> doc = Optional.ofNullable(found.get(requestedId))
                .or(() -> Optional.ofNullable(found.get(requestedId + "_cpu")));
        return doc.map(d -> compiled.computeIfAbsent(d, t -> CelPolicy.parse(t.getBytes(StandardCharsets.UTF_8))));
    }
}
