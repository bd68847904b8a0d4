package io.cocoplane.registry.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.registry.oci.Digest;
import io.cocoplane.registry.oci.OciNames;
import io.cocoplane.registry.store.Views.LayerView;
import io.cocoplane.registry.store.Views.ManifestDetail;
import io.cocoplane.registry.store.Views.ManifestSummary;
import io.cocoplane.registry.store.Views.RepositoryDetail;
import io.cocoplane.registry.store.Views.RepositoryPage;
import io.cocoplane.registry.store.Views.RepositorySummary;

/** Read-only queries behind {@code /api/v1/images}. */
@Service
@Transactional(readOnly = true)
public class ImageQueries {

    private final JdbcTemplate jdbc;

    /** @param db metadata access */
    public ImageQueries(RegistryMetadata db) {
        this.jdbc = db.jdbc();
    }

    /** @return up to {@code limit} repositories after {@code last}, in byte order */
    public RepositoryPage repositories(String last, int limit) {
        List<RepositorySummary> out = new ArrayList<>();
        String sql = "SELECT r.name,"
                + " (SELECT count(*) FROM manifests m WHERE m.repository = r.name),"
                + " EXISTS (SELECT 1 FROM manifests m WHERE m.repository = r.name AND m.encrypted)"
                + " FROM repositories r" + (last != null ? " WHERE r.name COLLATE \"C\" > ?" : "")
                + " ORDER BY r.name COLLATE \"C\" LIMIT ?";
        Object[] args = last != null ? new Object[] {last, limit + 1} : new Object[] {limit + 1};
        jdbc.query(sql, rs -> {
            out.add(new RepositorySummary(rs.getString(1), List.of(), rs.getLong(2), rs.getBoolean(3)));
        }, args);
        String next = null;
        List<RepositorySummary> page = out;
        if (out.size() > limit) {
            page = out.subList(0, limit);
            next = page.get(limit - 1).name();
        }
        List<RepositorySummary> withTags = page.stream().map(r -> new RepositorySummary(r.name(),
                jdbc.queryForList("SELECT tag FROM tags WHERE repository = ? ORDER BY tag COLLATE \"C\" LIMIT 1000",
                        String.class, r.name()), r.manifests(), r.encrypted())).toList();
        return new RepositoryPage(withTags, next);
    }

    /** @return the repository with its manifests (at most 1000, newest first), or empty */
    public Optional<RepositoryDetail> repository(String name) {
        Boolean exists = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM repositories WHERE name = ?)",
                Boolean.class, name);
        if (!Boolean.TRUE.equals(exists)) {
            return Optional.empty();
        }
        List<ManifestSummary> manifests = jdbc.query("SELECT digest, media_type, size, encrypted, key_ids, pushed_at"
                        + " FROM manifests WHERE repository = ? ORDER BY pushed_at DESC, digest LIMIT 1000",
                (rs, i) -> new ManifestSummary(rs.getString(1), rs.getString(2), rs.getLong(3),
                        tagsOf(name, rs.getString(1)), rs.getBoolean(4), Json.list(rs.getString(5)),
                        rs.getTimestamp(6).toInstant()), name);
        return Optional.of(new RepositoryDetail(name, manifests));
    }

    /**
     * @param name      repository
     * @param reference tag or digest
     * @return the manifest in detail, or empty
     * @throws io.cocoplane.registry.oci.RegistryException DIGEST_INVALID for a malformed digest
     */
    public Optional<ManifestDetail> manifest(String name, String reference) {
        String digest;
        if (OciNames.looksLikeDigest(reference)) {
            digest = Digest.parse(reference).toString();
        } else {
            if (!OciNames.isValidTag(reference)) {
                return Optional.empty();
            }
            List<String> d = jdbc.queryForList("SELECT manifest_digest FROM tags WHERE repository = ? AND tag = ?",
                    String.class, name, reference);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            digest = d.get(0);
        }
        List<LayerView> layers = jdbc.query("SELECT position, digest, media_type, size, encrypted, recipients,"
                        + " jwe_algorithms, key_ids FROM layers WHERE repository = ? AND manifest_digest = ?"
                        + " ORDER BY position",
                (rs, i) -> new LayerView(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getBoolean(5), Json.list(rs.getString(6)), Json.list(rs.getString(7)),
                        Json.list(rs.getString(8))), name, digest);
        return jdbc.query("SELECT digest, media_type, size, artifact_type, subject_digest, encrypted, key_ids,"
                        + " annotations, inspection_error, pushed_at FROM manifests WHERE repository = ? AND digest = ?",
                (rs, i) -> new ManifestDetail(name, rs.getString(1), rs.getString(2), rs.getLong(3),
                        tagsOf(name, rs.getString(1)), rs.getString(4), rs.getString(5), rs.getBoolean(6), layers,
                        Json.list(rs.getString(7)), Json.map(rs.getString(8)), rs.getString(9),
                        rs.getTimestamp(10).toInstant()), name, digest).stream().findFirst();
    }

    private List<String> tagsOf(String repository, String digest) {
        return jdbc.queryForList("SELECT tag FROM tags WHERE repository = ? AND manifest_digest = ?"
                + " ORDER BY tag COLLATE \"C\"", String.class, repository, digest);
    }
}
