package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static io.cocoplane.registry.OciHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JUnit port of distribution-spec v1.1.1 {@code conformance/01_pull_test.go} (registry note §1.8, "Pull"): setup (once per class)
 * pushes two configs, a layer and two manifests and tags one; blobs and manifests are fetched by digest and tag, missing ones
 * give 404, {@code sha256:totallywrong} gives 400 with a spec error code; plus Range requests on blobs.
 */
class ConformancePullTest extends RegistryTestBase {

    static final String REPO = "conformance/pull";
    static final List<String> SPEC_CODES = List.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
            "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID",
            "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");
    static final String MISSING = "sha256:" + "0".repeat(64);

    byte[] layer = "layer bytes for the pull workflow, 0123456789".getBytes(StandardCharsets.UTF_8);
    byte[] configA = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] configB = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":2}".getBytes(StandardCharsets.UTF_8);
    static String layerDigest;
    static byte[] manifestA;
    static byte[] manifestB;
    static String manifestADigest;
    static String manifestBDigest;

    static boolean ready;

    @BeforeEach
    void setUp() {
        if (ready) {
            return;
        }
        OciHttp oci = oci();
        layerDigest = oci.pushBlob(REPO, layer);
        String ca = oci.pushBlob(REPO, configA);
        String cb = oci.pushBlob(REPO, configB);
        manifestA = OciHttp.imageManifest(ca, configA.length, OciHttp.OCI_CONFIG, layerDigest, "" + layer.length);
        manifestB = OciHttp.imageManifest(cb, configB.length, OciHttp.OCI_CONFIG, layerDigest, "" + layer.length);
        manifestADigest = oci.pushManifest(REPO, "tagtest0", manifestA, OciHttp.OCI_MANIFEST);
        manifestBDigest = oci.pushManifest(REPO, OciHttp.sha256(manifestB), manifestB, OciHttp.OCI_MANIFEST);
        ready = true;
    }

    @Test
    void headAndGetOfAMissingBlobGive404() {
        assertThat(oci().head("/v2/" + REPO + "/blobs/" + MISSING).statusCode()).isEqualTo(404);
        var get = oci().get("/v2/" + REPO + "/blobs/" + MISSING);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(errorCode(get)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void headAndGetOfAnExistingBlobGive200WithItsDigestAndBytes() {
        var head = oci().head("/v2/" + REPO + "/blobs/" + layerDigest);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(layerDigest);
        assertThat(header(head, "Content-Length")).isEqualTo("" + layer.length);
        var get = oci().get("/v2/" + REPO + "/blobs/" + layerDigest);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(layer);
        assertThat(header(get, "Docker-Content-Digest")).isEqualTo(layerDigest);
    }

    @Test
    void blobRangeRequestsGive206AndUnsatisfiableOnesGive416() {
        var part = oci().get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=2-5");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(layer, 2, 6));
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 2-5/" + layer.length);
        var suffix = oci().get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=-4");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(layer, layer.length - 4, layer.length));
        var open = oci().get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=40-");
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(layer, 40, layer.length));
        var beyond = oci().get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=1000-2000");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */" + layer.length);
        assertThat(oci().get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=1-2,4-5").statusCode())
                .isEqualTo(416);
    }

    @Test
    void headAndGetOfAMissingManifestGive404() {
        assertThat(oci().head("/v2/" + REPO + "/manifests/" + MISSING).statusCode()).isEqualTo(404);
        var get = oci().get("/v2/" + REPO + "/manifests/nonexistent-tag");
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(errorCode(get)).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void headAndGetOfEachManifestByDigestAndTagGive200WithTheStoredBytes() {
        for (String ref : List.of(manifestADigest, "tagtest0")) {
            var head = oci().head("/v2/" + REPO + "/manifests/" + ref);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "Docker-Content-Digest")).isEqualTo(manifestADigest);
            assertThat(header(head, "Content-Length")).isEqualTo("" + manifestA.length);
            var get = oci().get("/v2/" + REPO + "/manifests/" + ref);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifestA);
            assertThat(header(get, "Content-Type")).isEqualTo(OciHttp.OCI_MANIFEST);
        }
        var b = oci().get("/v2/" + REPO + "/manifests/" + manifestBDigest);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(b.body()).isEqualTo(manifestB);
        assertThat(header(b, "Docker-Content-Digest")).isEqualTo(manifestBDigest);
    }

    @Test
    void aMalformedDigestReferenceGives400WithASpecErrorCode() {
        var r = oci().get("/v2/" + REPO + "/manifests/sha256:totallywrong");
        assertThat(r.statusCode()).isIn(400, 404);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isIn(SPEC_CODES).isEqualTo("DIGEST_INVALID");
    }
}
