package io.cocoplane.attestation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

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

    /** @return a policy lookup over the live values (one query per name read by the policy) */
    public ReferenceValueLookup lookup() {
        return name -> find(name).map(s -> JsonValues.toPlain(s.value()));
    }
}
