package io.cocoplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import io.cocoplane.registry.oci.Digest;
import io.cocoplane.registry.store.GarbageCollector;

/**
 * Garbage collection as an admin operation (grace 0 in this context): a dry run lists an unreferenced blob and deletes
 * nothing; the real run deletes it and keeps referenced blobs; expired upload sessions go with their files.
 */
class GarbageCollectionTest extends RegistryTestBase {

    static final String REPO = "gc/test";

    @Autowired
    GarbageCollector gc;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void dryRunReportsAndRealRunDeletesOnlyUnreferencedBlobs() {
        OciHttp oci = oci();
        byte[] config = "{\"gc\":\"kept\"}".getBytes(StandardCharsets.UTF_8);
        byte[] orphan = "gc: nobody refers to me".getBytes(StandardCharsets.UTF_8);
        String cd = oci.pushBlob(REPO, config);
        String od = oci.pushBlob(REPO, orphan);
        oci.pushManifest(REPO, "kept", OciHttp.imageManifest(cd, config.length, OciHttp.OCI_CONFIG),
                OciHttp.OCI_MANIFEST);

        var dry = oci.send("POST", "/api/v1/admin/gc", null);
        assertThat(dry.statusCode()).isEqualTo(200);
        JsonNode report = OciHttp.json(dry);
        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(OciHttp.strings(report.get("blobs"))).contains(od).doesNotContain(cd);
        assertThat(store.path(Digest.parse(od))).exists();
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + od).statusCode()).isEqualTo(200);

        JsonNode real = OciHttp.json(oci.send("POST", "/api/v1/admin/gc?dryRun=false", null));
        assertThat(real.get("dryRun").asBoolean()).isFalse();
        assertThat(OciHttp.strings(real.get("blobs"))).contains(od).doesNotContain(cd);
        assertThat(store.path(Digest.parse(od))).doesNotExist();
        assertThat(store.path(Digest.parse(cd))).exists();
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + od).statusCode()).isEqualTo(404);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + cd).body()).isEqualTo(config);
        assertThat(oci.get("/v2/" + REPO + "/manifests/kept").statusCode()).isEqualTo(200);
    }

    @Test
    void expiredUploadSessionsAreRemovedWithTheirFiles() {
        OciHttp oci = oci();
        String loc = OciHttp.header(oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null), "Location");
        String id = loc.substring(loc.lastIndexOf('/') + 1);
        oci.send("PATCH", loc, "half an upload".getBytes(StandardCharsets.UTF_8));
        assertThat(store.uploadsDir().resolve(id)).exists();
        assertThat(oci.get(loc).statusCode()).isEqualTo(204);

        jdbc.update("UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(id));
        assertThat(oci.get(loc).statusCode()).isEqualTo(404);
        assertThat(gc.expireUploads()).isGreaterThanOrEqualTo(1);
        assertThat(store.uploadsDir().resolve(id)).doesNotExist();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM uploads WHERE id = ?", Long.class, UUID.fromString(id)))
                .isZero();
    }
}
