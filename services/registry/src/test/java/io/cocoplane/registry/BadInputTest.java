package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static io.cocoplane.registry.OciHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bad input gets the spec's 4xx, never a 500, and leaves no file behind: every case compares the files under the
 * blob root (committed blobs, {@code tmp/}, {@code uploads/}) before and after.
 */
class BadInputTest extends RegistryTestBase {

    static final String REPO = "bad/input";

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void wrongDigestOnSinglePostIs400DigestInvalidAndStoresNothing() {
        byte[] blob = "content whose digest is not the claimed one".getBytes(StandardCharsets.UTF_8);
        String claimed = OciHttp.sha256("something else".getBytes(StandardCharsets.UTF_8));
        List<String> before = filesUnderRoot();
        var r = oci().send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + claimed, blob,
                "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertThat(filesUnderRoot()).isEqualTo(before);
        assertThat(store.path(io.cocoplane.registry.oci.Digest.parse(OciHttp.sha256(blob)))).doesNotExist();
        assertThat(oci().head("/v2/" + REPO + "/blobs/" + claimed).statusCode()).isEqualTo(404);
        assertThat(oci().head("/v2/" + REPO + "/blobs/" + OciHttp.sha256(blob)).statusCode()).isEqualTo(404);
    }

    @Test
    void wrongDigestOnClosingPutIs400AndRemovesTheSession() {
        OciHttp oci = oci();
        byte[] blob = "chunk data that will be closed with the wrong digest".getBytes(StandardCharsets.UTF_8);
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        String loc = header(post, "Location");
        String id = loc.substring(loc.lastIndexOf('/') + 1);
        List<String> before = filesUnderRoot();
        assertThat(before).contains("uploads/" + id);
        assertThat(oci.send("PATCH", loc, blob, "Content-Type", "application/octet-stream").statusCode()).isEqualTo(202);
        String claimed = "sha256:" + "5".repeat(64);
        var put = oci.send("PUT", loc + "?digest=" + claimed, null);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(errorCode(put)).isEqualTo("DIGEST_INVALID");
        List<String> after = filesUnderRoot();
        assertThat(after).doesNotContain("uploads/" + id);
        assertThat(before).containsAll(after);
        assertThat(oci.get(loc).statusCode()).isEqualTo(404);
        assertThat(oci.head("/v2/" + REPO + "/blobs/" + OciHttp.sha256(blob)).statusCode()).isEqualTo(404);

        var malformed = oci.send("PUT", header(oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null), "Location")
                + "?digest=sha256:xyz", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(errorCode(malformed)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void outOfOrderChunkIs416AndLeavesTheSessionUnchanged() throws Exception {
        OciHttp oci = oci();
        var post = oci.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        String loc = header(post, "Location");
        String id = loc.substring(loc.lastIndexOf('/') + 1);
        byte[] c1 = "first-chunk".getBytes(StandardCharsets.UTF_8);
        oci.send("PATCH", loc, c1, "Content-Type", "application/octet-stream", "Content-Range", "0-10");
        List<String> before = filesUnderRoot();
        var r = oci.send("PATCH", loc, "later".getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/octet-stream", "Content-Range", "50-54");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(header(r, "Range")).isEqualTo("0-10");
        assertThat(header(r, "Location")).isEqualTo(loc);
        assertThat(filesUnderRoot()).isEqualTo(before);
        assertThat(java.nio.file.Files.readAllBytes(store.uploadsDir().resolve(id))).isEqualTo(c1);

        var mismatch = oci.send("PATCH", loc, "abc".getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/octet-stream", "Content-Range", "11-20");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(errorCode(mismatch)).isEqualTo("SIZE_INVALID");
        assertThat(java.nio.file.Files.readAllBytes(store.uploadsDir().resolve(id))).isEqualTo(c1);
        assertThat(oci.send("PATCH", loc, "x".getBytes(StandardCharsets.UTF_8), "Content-Range", "bytes=zz")
                .statusCode()).isEqualTo(416);
    }

    @Test
    void namesOutsideTheGrammarAreNameInvalid() {
        List<String> before = filesUnderRoot();
        List<String> rejectedByTomcat = new java.util.ArrayList<>();
        for (String path : List.of("/v2/foo/../bar/manifests/latest", "/v2/a..b/tags/list", "/v2/../x/tags/list",
                "/v2/Upper/tags/list", "/v2//leading/tags/list", "/v2/trailing//x/tags/list",
                "/v2/foo/%2e%2e/bar/tags/list", "/v2/a%2Fb/tags/list", "/v2/-dash/blobs/uploads/")) {
            var r = oci().send(path.endsWith("uploads/") ? "POST" : "GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            if (!String.valueOf(header(r, "Content-Type")).startsWith("application/json")) {
                rejectedByTomcat.add(path);
                continue;
            }
            assertThat(errorCode(r)).as(path).isEqualTo("NAME_INVALID");
        }
        // Tomcat itself refuses an encoded slash (400) before any servlet sees it
        assertThat(rejectedByTomcat).containsExactly("/v2/a%2Fb/tags/list");
        var tooLong = oci().get("/v2/" + "a".repeat(256) + "/tags/list");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(filesUnderRoot()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM repositories WHERE name LIKE '%..%' OR name LIKE 'Upper%'",
                Long.class)).isZero();
    }

    @Test
    void oversizedManifestIs413AndNotStored() {
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        List<String> before = filesUnderRoot();
        var r = oci().putManifest(REPO, "huge", big, OciHttp.OCI_MANIFEST);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("SIZE_INVALID");
        assertThat(oci().get("/v2/" + REPO + "/manifests/huge").statusCode()).isEqualTo(404);
        assertThat(filesUnderRoot()).isEqualTo(before);
    }

    @Test
    void malformedManifestsAreRefusedWithTheirCodes() {
        OciHttp oci = oci();
        List<String> before = filesUnderRoot();
        var notJson = oci.putManifest(REPO, "x", "not json".getBytes(StandardCharsets.UTF_8), OciHttp.OCI_MANIFEST);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(notJson)).isEqualTo("MANIFEST_INVALID");
        var schema1 = oci.putManifest(REPO, "x", "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8),
                OciHttp.OCI_MANIFEST);
        assertThat(errorCode(schema1)).isEqualTo("MANIFEST_INVALID");
        byte[] unknownBlob = OciHttp.imageManifest("sha256:" + "6".repeat(64), 3, OciHttp.OCI_CONFIG);
        var missing = oci.putManifest(REPO, "x", unknownBlob, OciHttp.OCI_MANIFEST);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(errorCode(missing)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        var typeMismatch = oci.putManifest(REPO, "x", unknownBlob, OciHttp.OCI_INDEX);
        assertThat(errorCode(typeMismatch)).isEqualTo("MANIFEST_INVALID");
        String cd = oci.pushBlob(REPO, "{\"c\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] good = OciHttp.imageManifest(cd, 7, OciHttp.OCI_CONFIG);
        var wrongDigest = oci.putManifest(REPO, "sha256:" + "7".repeat(64), good, OciHttp.OCI_MANIFEST);
        assertThat(wrongDigest.statusCode()).isEqualTo(400);
        assertThat(errorCode(wrongDigest)).isEqualTo("DIGEST_INVALID");
        var badTag = oci.putManifest(REPO, ".dot-first", good, OciHttp.OCI_MANIFEST);
        assertThat(badTag.statusCode()).isEqualTo(400);
        var deep = oci.putManifest(REPO, "deep", ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8),
                OciHttp.OCI_MANIFEST);
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(oci.get("/v2/" + REPO + "/manifests/x").statusCode()).isEqualTo(404);
        List<String> after = new java.util.ArrayList<>(filesUnderRoot());
        after.removeAll(before);
        assertThat(after).containsExactly(store.root().relativize(store.path(
                io.cocoplane.registry.oci.Digest.parse(cd))).toString());
    }

    @Test
    void otherMalformedRequestsAre4xxNot500() {
        OciHttp oci = oci();
        assertThat(oci.get("/v2/" + REPO + "/blobs/sha256:short").statusCode()).isEqualTo(400);
        assertThat(oci.get("/v2/" + REPO + "/blobs/md5:" + "a".repeat(32)).statusCode()).isEqualTo(400);
        assertThat(oci.get("/v2/" + REPO + "/blobs/uploads/not-a-uuid").statusCode()).isEqualTo(404);
        assertThat(oci.get("/v2/" + REPO + "/blobs/uploads/" + java.util.UUID.randomUUID()).statusCode())
                .isEqualTo(404);
        assertThat(oci.send("PATCH", "/v2/" + REPO + "/manifests/latest", new byte[1]).statusCode()).isEqualTo(405);
        assertThat(oci.get("/v2/nothing-here").statusCode()).isEqualTo(404);
        assertThat(oci.get("/v2/" + REPO + "/tags/list?n=abc").statusCode()).isEqualTo(400);
        assertThat(oci.get("/v2/" + REPO + "/tags/list?n=99999999999").statusCode()).isEqualTo(400);
        assertThat(oci.send("POST", "/v2/" + REPO + "/blobs/uploads/?mount=sha256:bad&from=x", null).statusCode())
                .isEqualTo(400);
        assertThat(oci.get("/v2/" + REPO + "/manifests/" + "t".repeat(129)).statusCode()).isEqualTo(404);
    }
}
