package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static io.cocoplane.registry.OciHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * JUnit port of distribution-spec v1.1.1 {@code conformance/02_push_test.go} (registry note §1.8, "Push"): streamed,
 * monolithic (single POST and POST+PUT) and chunked uploads with the 416 cases, upload status, cross-repository
 * mount, manifests (including one with no layers), plus upload cancel (end-14).
 */
class ConformancePushTest extends RegistryTestBase {

    static final String REPO = "conformance/push";

    @Test
    void streamedUploadPatchThenPutGives202Then201() {
        OciHttp oci = oci();
        byte[] blob = "streamed upload body".getBytes(StandardCharsets.UTF_8);
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        String loc = header(post, "Location");
        assertThat(loc).startsWith("/v2/" + REPO + "/blobs/uploads/");
        var patch = oci.send("PATCH", loc, blob, "Content-Type", "application/octet-stream");
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(header(patch, "Range")).isEqualTo("0-" + (blob.length - 1));
        String digest = OciHttp.sha256(blob);
        var put = oci.send("PUT", header(patch, "Location") + "?digest=" + digest, null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Location")).isEqualTo("/v2/" + REPO + "/blobs/" + digest);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + digest).body()).isEqualTo(blob);
    }

    @Test
    void monolithicUploadsBySinglePostAndByPostThenPut() {
        OciHttp oci = oci();
        byte[] config = "{\"monolithic\":\"config\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "monolithic layer".getBytes(StandardCharsets.UTF_8);
        String cd = OciHttp.sha256(config);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + cd).statusCode()).isEqualTo(404);

        var single = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + cd, config,
                "Content-Type", "application/octet-stream");
        assertThat(single.statusCode()).isEqualTo(201);
        assertThat(header(single, "Location")).isEqualTo("/v2/" + REPO + "/blobs/" + cd);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + cd).body()).isEqualTo(config);

        String ld = OciHttp.sha256(layer);
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        var put = oci.send("PUT", header(post, "Location") + "?digest=" + ld, layer,
                "Content-Type", "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(201);
        var get = oci.get("/v2/" + REPO + "/blobs/" + ld);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(layer);
    }

    @Test
    void chunkedUploadEnforcesOrderWith416AndReportsStatus() {
        OciHttp oci = oci();
        byte[] blob = "0123456789abcdefghijklmnopqrstuvwxyz-chunked".getBytes(StandardCharsets.UTF_8);
        byte[] c1 = Arrays.copyOfRange(blob, 0, 20);
        byte[] c2 = Arrays.copyOfRange(blob, 20, blob.length);
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        String loc = header(post, "Location");

        var outOfOrder = oci.send("PATCH", loc, c2, "Content-Type", "application/octet-stream",
                "Content-Range", "20-" + (blob.length - 1));
        assertThat(outOfOrder.statusCode()).isEqualTo(416);

        var first = oci.send("PATCH", loc, c1, "Content-Type", "application/octet-stream", "Content-Range", "0-19");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(header(first, "Range")).isEqualTo("0-19");
        String next = header(first, "Location");

        var retry = oci.send("PATCH", next, c1, "Content-Type", "application/octet-stream", "Content-Range", "0-19");
        assertThat(retry.statusCode()).isEqualTo(416);
        assertThat(header(retry, "Range")).isEqualTo("0-19");

        var status = oci.get(loc);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(header(status, "Range")).isEqualTo("0-19");
        assertThat(header(status, "Location")).isEqualTo(next);

        var second = oci.send("PATCH", next, c2, "Content-Type", "application/octet-stream",
                "Content-Range", "20-" + (blob.length - 1));
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(header(second, "Range")).isEqualTo("0-" + (blob.length - 1));
        String digest = OciHttp.sha256(blob);
        var put = oci.send("PUT", header(second, "Location") + "?digest=" + digest, null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(oci.get("/v2/" + REPO + "/blobs/" + digest).body()).isEqualTo(blob);
    }

    @Test
    void crossRepositoryMount() {
        OciHttp oci = oci();
        byte[] blob = "blob to mount".getBytes(StandardCharsets.UTF_8);
        String digest = oci.pushBlob(REPO, blob);
        String target = "conformance/push-mount";

        var noFrom = oci.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + digest, null);
        assertThat(noFrom.statusCode()).isEqualTo(202);
        assertThat(header(noFrom, "Location")).startsWith("/v2/" + target + "/blobs/uploads/");

        var mounted = oci.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + REPO, null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(header(mounted, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(header(mounted, "Location")).isEqualTo("/v2/" + target + "/blobs/" + digest);
        assertThat(oci.get("/v2/" + target + "/blobs/" + digest).body()).isEqualTo(blob);

        String missing = "sha256:" + "1".repeat(64);
        var missingMount = oci.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + missing + "&from=" + REPO,
                null);
        assertThat(missingMount.statusCode()).isEqualTo(202);
        assertThat(oci.get("/v2/" + target + "/blobs/" + missing).statusCode()).isEqualTo(404);
    }

    @Test
    void manifestsArePutAndFetchedIncludingOneWithNoLayers() {
        OciHttp oci = oci();
        assertThat(oci.get("/v2/" + REPO + "/manifests/never-pushed").statusCode()).isEqualTo(404);
        byte[] config = "{\"manifest\":\"config\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "manifest layer".getBytes(StandardCharsets.UTF_8);
        String cd = oci.pushBlob(REPO, config);
        String ld = oci.pushBlob(REPO, layer);
        byte[] manifest = OciHttp.imageManifest(cd, config.length, OciHttp.OCI_CONFIG, ld, "" + layer.length);
        var put = oci.putManifest(REPO, "tagtest0", manifest, OciHttp.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        String digest = OciHttp.sha256(manifest);
        assertThat(header(put, "Location")).isEqualTo("/v2/" + REPO + "/manifests/" + digest);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(digest);

        byte[] noLayers = OciHttp.imageManifest(cd, config.length, OciHttp.OCI_CONFIG);
        assertThat(oci.putManifest(REPO, "nolayers", noLayers, OciHttp.OCI_MANIFEST).statusCode()).isEqualTo(201);

        var get = oci.get("/v2/" + REPO + "/manifests/" + digest);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(manifest);
    }

    @Test
    void dockerSchema2ManifestAndManifestListKeepTheirContentType() {
        OciHttp oci = oci();
        byte[] config = "{\"docker\":\"config\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "docker layer".getBytes(StandardCharsets.UTF_8);
        String cd = oci.pushBlob(REPO, config);
        String ld = oci.pushBlob(REPO, layer);
        String dockerType = "application/vnd.docker.distribution.manifest.v2+json";
        byte[] manifest = ("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + dockerType + "\",\n   \"config\": {"
                + "\"mediaType\": \"application/vnd.docker.container.image.v1+json\", \"size\": " + config.length
                + ", \"digest\": \"" + cd + "\"},\n   \"layers\": [{\"mediaType\": "
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\", \"size\": " + layer.length
                + ", \"digest\": \"" + ld + "\"}]\n}").getBytes(StandardCharsets.UTF_8);
        String md = oci.pushManifest(REPO, "docker", manifest, dockerType);
        String listType = "application/vnd.docker.distribution.manifest.list.v2+json";
        byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + listType + "\",\"manifests\":[{\"mediaType\":\""
                + dockerType + "\",\"size\":" + manifest.length + ",\"digest\":\"" + md
                + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
        oci.pushManifest(REPO, "docker-list", list, listType);
        var get = oci.get("/v2/" + REPO + "/manifests/docker-list");
        assertThat(header(get, "Content-Type")).isEqualTo(listType);
        assertThat(get.body()).isEqualTo(list);
        assertThat(header(oci.get("/v2/" + REPO + "/manifests/docker"), "Content-Type")).isEqualTo(dockerType);

        byte[] missingChild = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciHttp.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + OciHttp.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"sha256:" + "2".repeat(64)
                + "\"}]}").getBytes(StandardCharsets.UTF_8);
        var refused = oci.putManifest(REPO, "broken-index", missingChild, OciHttp.OCI_INDEX);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void cancelledUploadIsForgotten() {
        OciHttp oci = oci();
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        String loc = header(post, "Location");
        String id = loc.substring(loc.lastIndexOf('/') + 1);
        oci.send("PATCH", loc, "partial".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/octet-stream");
        assertThat(oci.send("DELETE", loc, null).statusCode()).isEqualTo(204);
        var status = oci.get(loc);
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(errorCode(status)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(store.uploadsDir().resolve(id)).doesNotExist();
    }
}
