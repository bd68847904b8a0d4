package io.cocoplane.registry.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import io.cocoplane.registry.store.Views.LayerView;
import io.cocoplane.registry.store.Views.Referrer;

/**
 * SQL over the {@code registry} schema (see {@code db/migration/V1__registry.sql}). No transaction handling here:
 * {@link RegistryService} demarcates transactions. Tags and repository names sort in byte order
 * ({@code COLLATE "C"}), which is the lexical order the distribution spec asks for.
 */
@Repository
public class RegistryMetadata {

    private final JdbcTemplate jdbc;

    /** @param jdbc template on the registry data source */
    public RegistryMetadata(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void ensureRepository(String name) {
        jdbc.update("INSERT INTO repositories (name) VALUES (?) ON CONFLICT DO NOTHING", name);
    }

    boolean repositoryExists(String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM repositories WHERE name = ?)",
                Boolean.class, name));
    }

    void linkBlob(String repository, String digest, long size) {
        jdbc.update("INSERT INTO blobs (digest, size) VALUES (?, ?) ON CONFLICT (digest) DO UPDATE SET last_linked_at = now()",
                digest, size);
        jdbc.update("INSERT INTO repository_blobs (repository, digest) VALUES (?, ?)"
                + " ON CONFLICT (repository, digest) DO UPDATE SET linked_at = now()", repository, digest);
    }

    Optional<Long> linkedBlobSize(String repository, String digest) {
        return jdbc.query("SELECT b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository = ? AND rb.digest = ?",
                (rs, i) -> rs.getLong(1), repository, digest).stream().findFirst();
    }

    boolean unlinkBlob(String repository, String digest) {
        return jdbc.update("DELETE FROM repository_blobs WHERE repository = ? AND digest = ?", repository, digest) > 0;
    }

    boolean manifestExists(String repository, String digest) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM manifests WHERE repository = ? AND digest = ?)", Boolean.class,
                repository, digest));
    }

    boolean insertManifest(String repository, String digest, String mediaType, String contentType, byte[] content,
            String artifactType, String subject, String annotations, boolean encrypted, String keyIds,
            String inspectionError) {
        return jdbc.update("INSERT INTO manifests (repository, digest, media_type, content_type, content, size,"
                        + " artifact_type, subject_digest, annotations, encrypted, key_ids, inspection_error)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (repository, digest) DO NOTHING",
                repository, digest, mediaType, contentType, content, content.length, artifactType, subject,
                annotations, encrypted, keyIds, inspectionError) > 0;
    }

    void insertReference(String repository, String manifestDigest, String kind, int position, String digest) {
        jdbc.update("INSERT INTO manifest_references (repository, manifest_digest, kind, position, digest)"
                + " VALUES (?,?,?,?,?)", repository, manifestDigest, kind, position, digest);
    }

    void insertLayer(String repository, String manifestDigest, LayerView l) {
        jdbc.update("INSERT INTO layers (repository, manifest_digest, position, digest, media_type, size, encrypted,"
                        + " recipients, jwe_algorithms, key_ids) VALUES (?,?,?,?,?,?,?,?,?,?)",
                repository, manifestDigest, l.index(), l.digest(), l.mediaType(), l.size(), l.encrypted(),
                Json.write(l.recipients()), Json.write(l.jweAlgorithms()), Json.write(l.keyIds()));
    }

    void putTag(String repository, String tag, String digest) {
        jdbc.update("INSERT INTO tags (repository, tag, manifest_digest) VALUES (?,?,?) ON CONFLICT (repository, tag)"
                + " DO UPDATE SET manifest_digest = EXCLUDED.manifest_digest, updated_at = now()", repository, tag, digest);
    }

    Optional<String> tagTarget(String repository, String tag) {
        return jdbc.queryForList("SELECT manifest_digest FROM tags WHERE repository = ? AND tag = ?", String.class,
                repository, tag).stream().findFirst();
    }

    boolean deleteTag(String repository, String tag) {
        return jdbc.update("DELETE FROM tags WHERE repository = ? AND tag = ?", repository, tag) > 0;
    }

    boolean deleteManifest(String repository, String digest) {
        return jdbc.update("DELETE FROM manifests WHERE repository = ? AND digest = ?", repository, digest) > 0;
    }

    List<String> tagsOf(String repository, String digest) {
        return jdbc.queryForList("SELECT tag FROM tags WHERE repository = ? AND manifest_digest = ?"
                + " ORDER BY tag COLLATE \"C\"", String.class, repository, digest);
    }

    Optional<StoredManifest> manifest(String repository, String digest, boolean withContent) {
        String cols = withContent ? "digest, content_type, size, content" : "digest, content_type, size";
        return jdbc.query("SELECT " + cols + " FROM manifests WHERE repository = ? AND digest = ?",
                (rs, i) -> new StoredManifest(rs.getString(1), rs.getString(2), rs.getInt(3),
                        withContent ? rs.getBytes(4) : null), repository, digest).stream().findFirst();
    }

    List<String> tags(String repository, String last, int limit) {
        if (last == null) {
            return jdbc.queryForList("SELECT tag FROM tags WHERE repository = ? ORDER BY tag COLLATE \"C\" LIMIT ?",
                    String.class, repository, limit);
        }
        return jdbc.queryForList("SELECT tag FROM tags WHERE repository = ? AND tag COLLATE \"C\" > ?"
                + " ORDER BY tag COLLATE \"C\" LIMIT ?", String.class, repository, last, limit);
    }

    List<String> repositories(String last, int limit) {
        if (last == null) {
            return jdbc.queryForList("SELECT name FROM repositories ORDER BY name COLLATE \"C\" LIMIT ?", String.class,
                    limit);
        }
        return jdbc.queryForList("SELECT name FROM repositories WHERE name COLLATE \"C\" > ?"
                + " ORDER BY name COLLATE \"C\" LIMIT ?", String.class, last, limit);
    }

    List<Referrer> referrers(String repository, String subject, String artifactType, int limit) {
        String sql = "SELECT media_type, digest, size, artifact_type, annotations FROM manifests"
                + " WHERE repository = ? AND subject_digest = ?" + (artifactType != null ? " AND artifact_type = ?" : "")
                + " ORDER BY digest LIMIT ?";
        Object[] args = artifactType != null ? new Object[] {repository, subject, artifactType, limit}
                : new Object[] {repository, subject, limit};
        return jdbc.query(sql, (rs, i) -> new Referrer(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), Json.map(rs.getString(5))), args);
    }

    // --- upload sessions ---

    void createUpload(UUID id, String repository, Instant expiresAt) {
        jdbc.update("INSERT INTO uploads (id, repository, expires_at) VALUES (?,?,?)", id, repository,
                Timestamp.from(expiresAt));
    }

    Optional<Long> uploadSize(UUID id, String repository) {
        return jdbc.query("SELECT size FROM uploads WHERE id = ? AND repository = ? AND expires_at > now()",
                (rs, i) -> rs.getLong(1), id, repository).stream().findFirst();
    }

    boolean advanceUpload(UUID id, long from, long to, Instant expiresAt) {
        return jdbc.update("UPDATE uploads SET size = ?, expires_at = ? WHERE id = ? AND size = ?", to,
                Timestamp.from(expiresAt), id, from) > 0;
    }

    boolean deleteUpload(UUID id) {
        return jdbc.update("DELETE FROM uploads WHERE id = ?", id) > 0;
    }

    List<UUID> expiredUploads(int limit) {
        return jdbc.queryForList("SELECT id FROM uploads WHERE expires_at <= now() ORDER BY expires_at LIMIT ?",
                UUID.class, limit);
    }

    // --- garbage collection ---

    List<String> unreferencedBlobs(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT b.digest FROM blobs b WHERE b.last_linked_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.digest = b.digest)"
                        + " ORDER BY b.digest LIMIT ?",
                String.class, Timestamp.from(cutoff), limit);
    }

    long blobSize(String digest) {
        List<Long> l = jdbc.queryForList("SELECT size FROM blobs WHERE digest = ?", Long.class, digest);
        return l.isEmpty() ? 0 : l.get(0);
    }

    boolean deleteUnreferencedBlob(String digest, Instant cutoff) {
        return jdbc.update("DELETE FROM blobs b WHERE b.digest = ? AND b.last_linked_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.digest = b.digest)",
                digest, Timestamp.from(cutoff)) > 0;
    }

    boolean blobKnown(String digest) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM blobs WHERE digest = ?)",
                Boolean.class, digest));
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }
}
