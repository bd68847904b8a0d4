package io.cocoplane.keybroker.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** RCAR sessions in {@code kbs_session}; every statement is a single atomic SQL statement, safe across replicas. */
@Repository
public class SessionRepository {

    /**
     * A session row.
     *
     * @param id        32 hex
     * @param tee       TEE wire name from the Request
     * @param nonce     the challenge nonce
     * @param nonceUsed whether an {@code /attest} already consumed it
     * @param expiresAt end of life
     * @param token     the EAR token once attested, else null
     */
    public record Session(String id, String tee, String nonce, boolean nonceUsed, Instant expiresAt, String token) {
    }

    private static final RowMapper<Session> ROW = (rs, i) -> new Session(rs.getString("id"), rs.getString("tee"),
            rs.getString("nonce"), rs.getBoolean("nonce_used"), rs.getTimestamp("expires_at").toInstant(),
            rs.getString("token"));

    private final JdbcTemplate jdbc;

    /** @param jdbc template */
    public SessionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new session. */
    public void create(String id, String tee, String nonce, Instant now, Instant expiresAt) {
        jdbc.update("INSERT INTO kbs_session (id, tee, nonce, created_at, expires_at) VALUES (?,?,?,?,?)", id, tee,
                nonce, Timestamp.from(now), Timestamp.from(expiresAt));
    }

    /** @return the unexpired session, if any */
    public Optional<Session> findLive(String id, Instant now) {
        List<Session> l = jdbc.query("SELECT * FROM kbs_session WHERE id = ? AND expires_at > ?", ROW, id,
                Timestamp.from(now));
        return l.stream().findFirst();
    }

    /**
     * Burns the nonce: succeeds for exactly one caller per session, whatever the replica.
     *
     * @return the session as it was before, when this call consumed an unused nonce of a live session
     */
    public Optional<Session> consumeNonce(String id, Instant now) {
        List<Session> l = jdbc.query("UPDATE kbs_session SET nonce_used = true WHERE id = ? AND NOT nonce_used"
                + " AND expires_at > ? RETURNING *", ROW, id, Timestamp.from(now));
        return l.stream().findFirst();
    }

    /** Stores the verified token of a session. */
    public void markAttested(String id, String token, Instant now) {
        jdbc.update("UPDATE kbs_session SET token = ?, attested_at = ? WHERE id = ?", token, Timestamp.from(now), id);
    }

    /** @return the number of unexpired sessions */
    public long countLive(Instant now) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM kbs_session WHERE expires_at > ?", Long.class,
                Timestamp.from(now));
        return n == null ? 0 : n;
    }

    /** @return how many expired sessions were deleted */
    public int purgeExpired(Instant now) {
        return jdbc.update("DELETE FROM kbs_session WHERE expires_at <= ?", Timestamp.from(now));
    }
}
