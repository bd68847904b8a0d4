package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * JUnit port of distribution-spec v1.1.1 {@code conformance/04_management_test.go} (registry note §1.8, "Content
 * management"): delete by tag, delete by digest (tags go too), blob delete; each followed by the 404 it implies.
 */
class ConformanceManagementTest extends RegistryTestBase {

    static final String REPO = "conformance/management";

    @Test
    void deleteByTagThenByDigestThenTheBlob() {
        OciHttp oci = oci();
        byte[] config = "{\"management\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "management layer".getBytes(StandardCharsets.UTF_8);
        String cd = oci.pushBlob(REPO, config);
        String ld = oci.pushBlob(REPO, layer);
        byte[] manifest = OciHttp.imageManifest(cd, config.length, OciHttp.OCI_CONFIG, ld, "" + layer.length);
        String digest = oci.pushManifest(REPO, "tagtest0", manifest, OciHttp.OCI_MANIFEST);
        oci.pushManifest(REPO, "tagtest1", manifest, OciHttp.OCI_MANIFEST);
        assertThat(OciHttp.strings(OciHttp.json(oci.get("/v2/" + REPO + "/tags/list")).get("tags")))
                .containsExactly("tagtest0", "tagtest1");

        assertThat(oci.send("DELETE", "/v2/" + REPO + "/manifests/tagtest0", null).statusCode()).isEqualTo(202);
        assertThat(oci.get("/v2/" + REPO + "/manifests/tagtest0").statusCode()).isEqualTo(404);
        assertThat(oci.get("/v2/" + REPO + "/manifests/" + digest).statusCode()).isEqualTo(200);
        assertThat(OciHttp.strings(OciHttp.json(oci.get("/v2/" + REPO + "/tags/list")).get("tags")))
                .containsExactly("tagtest1");

        assertThat(oci.send("DELETE", "/v2/" + REPO + "/manifests/" + digest, null).statusCode()).isEqualTo(202);
        var gone = oci.get("/v2/" + REPO + "/manifests/" + digest);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(oci.get("/v2/" + REPO + "/manifests/tagtest1").statusCode()).isEqualTo(404);
        assertThat(OciHttp.strings(OciHttp.json(oci.get("/v2/" + REPO + "/tags/list")).get("tags"))).isEmpty();
        assertThat(oci.send("DELETE", "/v2/" + REPO + "/manifests/" + digest, null).statusCode()).isEqualTo(404);

        assertThat(oci.send("DELETE", "/v2/" + REPO + "/blobs/" + ld, null).statusCode()).isEqualTo(202);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + ld).statusCode()).isEqualTo(404);
        var again = oci.send("DELETE", "/v2/" + REPO + "/blobs/" + ld, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(errorCode(again)).isEqualTo("BLOB_UNKNOWN");
    }
}
