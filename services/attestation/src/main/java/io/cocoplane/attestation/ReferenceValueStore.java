package io.cocoplane.attestation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.cocoplane.attestation.core.JsonValues;
import io.cocoplane.attestation.core.ReferenceValueLookup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reference values in {@code attestation.reference_value}. Expiry is enforced on query (unlike trustee's RVPS, hazard
 * §10.9): a value past its expiration is invisible to policies and to {@link #find(String)}.
 */
public class ReferenceValueStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final Clock clock;

    /**
     * @param jdbc  template on the service's data source
     * @param clock the clock deciding expiry
     */
    public ReferenceValueStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Stored value with its metadata.
     *
     * @param name       the name
     * @param value      the JSON value
     * @param expiration when it stops being used
     * @param updatedBy  who set it
     */
    public record Stored(String name, JsonNode value, Instant expiration, String updatedBy) {
    }

    /**
     * Inserts or replaces a value.
     *
     * @param name       the name
     * @param value      the JSON value
     * @param expiration when it stops being used
     * @param updatedBy  the admin
     * @return the canonical stored JSON text
     */
    public String put(String name, JsonNode value, Instant expiration, String updatedBy) {
        String json = JSON.writeValueAsString(value);
        jdbc.update("INSERT INTO reference_value (name, value_json, expiration, updated_by, updated_at) "
                        + "VALUES (?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET value_json = EXCLUDED.value_json, "
                        + "expiration = EXCLUDED.expiration, updated_by = EXCLUDED.updated_by, "
                        + "updated_at = EXCLUDED.updated_at",
                name, json, Timestamp.from(expiration), updatedBy, Timestamp.from(clock.instant()));
        return json;
    }

    /**
     * @param name a name
     * @return the live (unexpired) value with its metadata, or empty
     */
    public Optional<Stored> find(String name) {
        List<Stored> rows = jdbc.query("SELECT name, value_json, expiration, updated_by FROM reference_value "
                        + "WHERE name = ? AND expiration > ?",
                (rs, i) -> new Stored(rs.getString(1), JSON.readTree(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), rs.getString(4)),
                name, Timestamp.from(clock.instant()));
        return rows.stream().findFirst();
    }

    /**
     * Most live values {@link #lookup()} reads in its single query; with more stored, it queries per name instead.
     */
    static final int SNAPSHOT_LIMIT = 4096;

    /**
     * A lookup for one policy evaluation: its first {@code find} reads every live value in one query (a policy reads
     * about a dozen names, and each query is a PostgreSQL round trip in the attestation's latency); later names come
     * from that snapshot. When more than {@value #SNAPSHOT_LIMIT} values are live it falls back to one query per name.
     * Not thread-safe: one evaluation, one lookup.
     *
     * @return a policy lookup over the values live at its first use
     */
    public ReferenceValueLookup lookup() {
        return new ReferenceValueLookup() {
            private Map<String, String> snapshot; // name → value JSON; null until the first find
            private boolean perName;

            @Override
            public Optional<Object> find(String name) {
                if (snapshot == null && !perName) {
                    Map<String, String> all = new HashMap<>();
                    jdbc.query("SELECT name, value_json FROM reference_value WHERE expiration > ? LIMIT ?",
                            (RowCallbackHandler) rs -> all.put(rs.getString(1), rs.getString(2)),
                            Timestamp.from(clock.instant()), SNAPSHOT_LIMIT + 1);
                    if (all.size() > SNAPSHOT_LIMIT) {
                        perName = true;
                    } else {
                        snapshot = all;
                    }
                }
                if (perName) {
                    return ReferenceValueStore.this.find(name).map(s -> JsonValues.toPlain(s.value()));
                }
                String json = snapshot.get(name);
                return json == null ? Optional.empty() : Optional.of(JsonValues.toPlain(JSON.readTree(json)));
            }
        };
    }
}
