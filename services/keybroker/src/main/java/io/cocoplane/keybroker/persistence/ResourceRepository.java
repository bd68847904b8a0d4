package io.cocoplane.keybroker.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import io.cocoplane.keybroker.domain.SealedSecret;

/** Resources in {@code kbs_resource} (metadata) and {@code kbs_resource_version} (sealed values). */
@Repository
public class ResourceRepository {

    /**
     * Metadata of a resource; never the value.
     *
     * @param path      {@code repository/type/tag}
     * @param version   current version
     * @param size      value size in bytes
     * @param updatedAt last change
     * @param updatedBy admin subject
     */
    public record Metadata(String path, long version, long size, Instant updatedAt, String updatedBy) {
    }

    /**
     * A stored version.
     *
     * @param path    path
     * @param version version
     * @param sealed  the sealed value
     */
    public record StoredVersion(String path, long version, SealedSecret sealed) {
    }

    private static final RowMapper<Metadata> META = (rs, i) -> new Metadata(rs.getString("path"),
            rs.getLong("current_version"), rs.getLong("size"), rs.getTimestamp("updated_at").toInstant(),
            rs.getString("updated_by"));
    private static final RowMapper<StoredVersion> VERSION = (rs, i) -> new StoredVersion(rs.getString("path"),
            rs.getLong("version"), new SealedSecret(rs.getString("master_key_id"), rs.getBytes("wrapped_key"),
            rs.getBytes("ciphertext")));

    private final JdbcTemplate jdbc;

    /** @param jdbc template */
    public ResourceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reserves the next version of a path (locks its metadata row for the transaction).
     *
     * @return the new version number, from 1
     */
    public long nextVersion(String path, Instant now, String by) {
        jdbc.update("INSERT INTO kbs_resource (path, current_version, size, updated_at, updated_by, deleted)"
                + " VALUES (?, 0, 0, ?, ?, true) ON CONFLICT (path) DO NOTHING", path, Timestamp.from(now), by);
        Long v = jdbc.queryForObject("SELECT current_version FROM kbs_resource WHERE path = ? FOR UPDATE", Long.class,
                path);
        return (v == null ? 0 : v) + 1;
    }

    /** Stores a version and makes it current; drops versions beyond {@code keep}. */
    public void store(String path, long version, SealedSecret s, long size, Instant now, String by, int keep) {
        jdbc.update("INSERT INTO kbs_resource_version (path, version, master_key_id, wrapped_key, ciphertext,"
                + " created_at) VALUES (?,?,?,?,?,?)", path, version, s.masterKeyId(), s.wrappedKey(), s.ciphertext(),
                Timestamp.from(now));
        jdbc.update("UPDATE kbs_resource SET current_version = ?, size = ?, updated_at = ?, updated_by = ?,"
                + " deleted = false WHERE path = ?", version, size, Timestamp.from(now), by, path);
        jdbc.update("DELETE FROM kbs_resource_version WHERE path = ? AND version <= ?", path, version - keep);
    }

    /** @return the current version of a live resource */
    public Optional<StoredVersion> current(String path) {
        return jdbc.query("SELECT v.* FROM kbs_resource r JOIN kbs_resource_version v ON v.path = r.path"
                + " AND v.version = r.current_version WHERE r.path = ? AND NOT r.deleted", VERSION, path)
                .stream().findFirst();
    }

    /** @return whether a live resource was deleted (all its versions are removed) */
    public boolean delete(String path, Instant now, String by) {
        int n = jdbc.update("UPDATE kbs_resource SET deleted = true, size = 0, updated_at = ?, updated_by = ?"
                + " WHERE path = ? AND NOT deleted", Timestamp.from(now), by, path);
        jdbc.update("DELETE FROM kbs_resource_version WHERE path = ?", path);
        return n == 1;
    }

    /** @return metadata of every live resource, by path, at most {@code limit} */
    public List<Metadata> list(int limit) {
        return jdbc.query("SELECT * FROM kbs_resource WHERE NOT deleted ORDER BY path LIMIT ?", META, limit);
    }

    /** @return metadata of a live resource */
    public Optional<Metadata> metadata(String path) {
        return jdbc.query("SELECT * FROM kbs_resource WHERE path = ? AND NOT deleted", META, path).stream()
                .findFirst();
    }

    /** @return up to {@code limit} stored versions, for re-wrapping, locked for the transaction */
    public List<StoredVersion> versionsNotUnder(String masterKeyId, int limit) {
        return jdbc.query("SELECT * FROM kbs_resource_version WHERE master_key_id <> ? ORDER BY path, version"
                + " LIMIT ? FOR UPDATE", VERSION, masterKeyId, limit);
    }

    /** @return every stored version (for a full re-wrap), locked */
    public List<StoredVersion> allVersions(String afterPath, long afterVersion, int limit) {
        return jdbc.query("SELECT * FROM kbs_resource_version WHERE (path, version) > (?, ?) ORDER BY path, version"
                + " LIMIT ? FOR UPDATE", VERSION, afterPath, afterVersion, limit);
    }

    /** Replaces a version's wrapped key (the value ciphertext is unchanged). */
    public void updateWrapped(String path, long version, SealedSecret s) {
        jdbc.update("UPDATE kbs_resource_version SET master_key_id = ?, wrapped_key = ? WHERE path = ? AND version = ?",
                s.masterKeyId(), s.wrappedKey(), path, version);
    }
}
