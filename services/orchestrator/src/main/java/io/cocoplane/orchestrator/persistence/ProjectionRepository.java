package io.cocoplane.orchestrator.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.LayerInfo;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator's projections of other services' facts: registry manifests and tags, key-broker resources.
 * Tags move to the newest push (by CloudEvents time), so a late older push cannot move a tag back.
 */
@Repository
public class ProjectionRepository {

    /** A manifest as the orchestrator knows it. */
    public record ImageRecord(String repository, String digest, List<String> keyIds, int unkeyedEncryptedLayers) {
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ProjectionRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records a pushed manifest and points its tags at it (unless a newer push already holds the tag). */
    public void imagePushed(ImagePushed e, Instant at) {
        Set<String> keyIds = new LinkedHashSet<>(e.keyIds());
        int unkeyed = 0;
        for (LayerInfo layer : e.layers()) {
            keyIds.addAll(layer.keyIds());
            if (layer.encrypted() && layer.keyIds().isEmpty()) {
                unkeyed++;
            }
        }
        Timestamp ts = Timestamp.from(at);
        jdbc.update("INSERT INTO image_manifest (repository, digest, media_type, key_ids, unkeyed_encrypted_layers,"
                        + " pushed_at) VALUES (?,?,?,?,?,?) ON CONFLICT (repository, digest) DO UPDATE SET"
                        + " media_type = EXCLUDED.media_type, key_ids = EXCLUDED.key_ids,"
                        + " unkeyed_encrypted_layers = EXCLUDED.unkeyed_encrypted_layers, pushed_at = EXCLUDED.pushed_at",
                e.repository(), e.digest(), e.mediaType(), json.writeValueAsString(List.copyOf(keyIds)), unkeyed, ts);
        for (String tag : e.tags()) {
            jdbc.update("INSERT INTO image_tag (repository, tag, digest, pushed_at) VALUES (?,?,?,?)"
                            + " ON CONFLICT (repository, tag) DO UPDATE SET digest = EXCLUDED.digest,"
                            + " pushed_at = EXCLUDED.pushed_at WHERE image_tag.pushed_at <= EXCLUDED.pushed_at",
                    e.repository(), tag, e.digest(), ts);
        }
    }

    /** Forgets a deleted manifest and the tags that pointed at it. */
    public void imageDeleted(ImageDeleted e) {
        jdbc.update("DELETE FROM image_tag WHERE repository = ? AND digest = ?", e.repository(), e.digest());
        jdbc.update("DELETE FROM image_manifest WHERE repository = ? AND digest = ?", e.repository(), e.digest());
    }

    /** @return the manifest a tag points at */
    public Optional<ImageRecord> byTag(String repository, String tag) {
        return jdbc.query("SELECT m.repository, m.digest, m.key_ids, m.unkeyed_encrypted_layers FROM image_tag t"
                        + " JOIN image_manifest m ON m.repository = t.repository AND m.digest = t.digest"
                        + " WHERE t.repository = ? AND t.tag = ?",
                (rs, i) -> new ImageRecord(rs.getString(1), rs.getString(2), json.readValue(rs.getString(3), STRINGS),
                        rs.getInt(4)), repository, tag).stream().findFirst();
    }

    /** @return the manifest with this digest */
    public Optional<ImageRecord> byDigest(String repository, String digest) {
        return jdbc.query("SELECT repository, digest, key_ids, unkeyed_encrypted_layers FROM image_manifest"
                        + " WHERE repository = ? AND digest = ?",
                (rs, i) -> new ImageRecord(rs.getString(1), rs.getString(2), json.readValue(rs.getString(3), STRINGS),
                        rs.getInt(4)), repository, digest).stream().findFirst();
    }

    /** Records a stored key-broker resource (keeps the highest version). */
    public void keyUpdated(String path, long version, Instant at) {
        jdbc.update("INSERT INTO key_resource (resource_path, version, updated_at) VALUES (?,?,?)"
                        + " ON CONFLICT (resource_path) DO UPDATE SET version = GREATEST(key_resource.version,"
                        + " EXCLUDED.version), updated_at = EXCLUDED.updated_at",
                path, version, Timestamp.from(at));
    }

    /** Forgets a deleted key-broker resource. */
    public void keyDeleted(String path) {
        jdbc.update("DELETE FROM key_resource WHERE resource_path = ?", path);
    }

    /** @return whether the key broker holds this resource path */
    public boolean keyExists(String path) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM key_resource WHERE resource_path = ?)", Boolean.class, path));
    }
}
