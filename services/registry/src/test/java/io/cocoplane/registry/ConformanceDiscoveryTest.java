package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * JUnit port of distribution-spec v1.1.1 {@code conformance/03_discovery_test.go} (registry note §1.8, "Content
 * discovery"): sorted tag list with {@code n}, {@code last} and {@code Link}; the referrers API with the empty JSON
 * blob, artifact types taken from {@code artifactType} or the config media type, an index referrer, the
 * {@code artifactType} filter with {@code OCI-Filters-Applied}, a subject that was never pushed; plus the catalog.
 */
class ConformanceDiscoveryTest extends RegistryTestBase {

    static final String REPO = "conformance/discovery";
    static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    static final String TYPE_A = "application/vnd.nhl.peanut.butter.bagel";
    static final String TYPE_B = "application/vnd.food.stand";

    static String subjectDigest;
    static int subjectSize;
    String missingSubject = "sha256:" + "3".repeat(64);

    static boolean ready;

    @BeforeEach
    void setUp() {
        if (ready) {
            return;
        }
        OciHttp oci = oci();
        byte[] config = "{\"discovery\":true}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "discovery layer".getBytes(StandardCharsets.UTF_8);
        String cd = oci.pushBlob(REPO, config);
        String ld = oci.pushBlob(REPO, layer);
        byte[] subject = OciHttp.imageManifest(cd, config.length, OciHttp.OCI_CONFIG, ld, "" + layer.length);
        subjectSize = subject.length;
        for (String tag : List.of("test3", "test1", "test0", "test2")) {
            subjectDigest = oci.pushManifest(REPO, tag, subject, OciHttp.OCI_MANIFEST);
        }
        assertThat(oci.pushBlob(REPO, "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(EMPTY_DIGEST);

        String subjectDescriptor = "{\"mediaType\":\"" + OciHttp.OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest
                + "\",\"size\":" + subjectSize + "}";
        pushReferrer(artifact(TYPE_A, null, subjectDescriptor, "config A"));
        pushReferrer(artifact(EMPTY_TYPE, TYPE_A, subjectDescriptor, "layer A"));
        pushReferrer(artifact(TYPE_B, null, subjectDescriptor, "config B"));
        pushReferrer(artifact(EMPTY_TYPE, TYPE_B, subjectDescriptor, "layer B"));
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciHttp.OCI_INDEX + "\",\"artifactType\":\"" + TYPE_B
                + "\",\"manifests\":[],\"subject\":" + subjectDescriptor
                + ",\"annotations\":{\"org.opencontainers.conformance.test\":\"index\"}}").getBytes(StandardCharsets.UTF_8);
        var put = oci.putManifest(REPO, OciHttp.sha256(index), index, OciHttp.OCI_INDEX);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(subjectDigest);

        String missingDescriptor = "{\"mediaType\":\"" + OciHttp.OCI_MANIFEST + "\",\"digest\":\"" + missingSubject
                + "\",\"size\":123}";
        pushReferrer(artifact(EMPTY_TYPE, TYPE_A, missingDescriptor, "subject missing"));
        ready = true;
    }

    private static byte[] artifact(String configType, String artifactType, String subject, String annotation) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OciHttp.OCI_MANIFEST + "\","
                + (artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",")
                + "\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + EMPTY_DIGEST + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"" + EMPTY_TYPE + "\",\"digest\":\"" + EMPTY_DIGEST + "\",\"size\":2}],"
                + "\"subject\":" + subject + ",\"annotations\":{\"org.opencontainers.conformance.test\":\"" + annotation
                + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private void pushReferrer(byte[] manifest) {
        var r = oci().putManifest(REPO, OciHttp.sha256(manifest), manifest, OciHttp.OCI_MANIFEST);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(header(r, "OCI-Subject")).isNotNull();
    }

    @Test
    void tagListIsSortedAndPaginatesWithNLastAndLink() {
        OciHttp oci = oci();
        var all = oci.get("/v2/" + REPO + "/tags/list");
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode body = OciHttp.json(all);
        assertThat(body.get("name").asString()).isEqualTo(REPO);
        assertThat(OciHttp.strings(body.get("tags"))).containsExactly("test0", "test1", "test2", "test3");

        var two = oci.get("/v2/" + REPO + "/tags/list?n=2");
        assertThat(OciHttp.strings(OciHttp.json(two).get("tags"))).containsExactly("test0", "test1");
        String link = header(two, "Link");
        assertThat(link).isEqualTo("</v2/" + REPO + "/tags/list?n=2&last=test1>; rel=\"next\"");
        var next = oci.get(link.substring(1, link.indexOf('>')));
        assertThat(OciHttp.strings(OciHttp.json(next).get("tags"))).containsExactly("test2", "test3");
        assertThat(header(next, "Link")).isNull();

        var after = oci.get("/v2/" + REPO + "/tags/list?last=test1");
        assertThat(OciHttp.strings(OciHttp.json(after).get("tags"))).containsExactly("test2", "test3");
        var zero = oci.get("/v2/" + REPO + "/tags/list?n=0");
        assertThat(OciHttp.strings(OciHttp.json(zero).get("tags"))).isEmpty();
        assertThat(header(zero, "Link")).isNull();
        assertThat(oci.get("/v2/" + REPO + "/tags/list?n=-1").statusCode()).isEqualTo(400);
        assertThat(oci.get("/v2/conformance/never-created/tags/list").statusCode()).isEqualTo(404);
    }

    @Test
    void referrersOfAnUnknownDigestIsAnEmptyIndex() {
        var r = oci().get("/v2/" + REPO + "/referrers/sha256:" + "4".repeat(64));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Type")).isEqualTo(OciHttp.OCI_INDEX);
        JsonNode index = OciHttp.json(r);
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asString()).isEqualTo(OciHttp.OCI_INDEX);
        assertThat(index.get("manifests")).isEmpty();
        assertThat(oci().get("/v2/" + REPO + "/referrers/sha256:nothex").statusCode()).isEqualTo(400);
    }

    @Test
    void referrersListEveryManifestWithTheSubjectWithArtifactTypeAndAnnotations() {
        var r = oci().get("/v2/" + REPO + "/referrers/" + subjectDigest);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "OCI-Filters-Applied")).isNull();
        JsonNode manifests = OciHttp.json(r).get("manifests");
        assertThat(manifests).hasSize(5);
        List<String> types = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (JsonNode d : manifests) {
            types.add(d.get("artifactType").asString());
            notes.add(d.get("annotations").get("org.opencontainers.conformance.test").asString());
            assertThat(d.get("size").asLong()).isPositive();
        }
        assertThat(types).containsExactlyInAnyOrder(TYPE_A, TYPE_A, TYPE_B, TYPE_B, TYPE_B);
        assertThat(notes).containsExactlyInAnyOrder("config A", "layer A", "config B", "layer B", "index");
    }

    @Test
    void artifactTypeFilterIsAppliedAndAnnounced() {
        var r = oci().get("/v2/" + REPO + "/referrers/" + subjectDigest + "?artifactType=" + TYPE_A);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "OCI-Filters-Applied")).isEqualTo("artifactType");
        JsonNode manifests = OciHttp.json(r).get("manifests");
        assertThat(manifests).hasSize(2);
        manifests.forEach(d -> assertThat(d.get("artifactType").asString()).isEqualTo(TYPE_A));
    }

    @Test
    void aSubjectThatWasNeverPushedHasItsReferrer() {
        var r = oci().get("/v2/" + REPO + "/referrers/" + missingSubject);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode manifests = OciHttp.json(r).get("manifests");
        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).get("annotations").get("org.opencontainers.conformance.test").asString())
                .isEqualTo("subject missing");
    }

    @Test
    void catalogListsRepositoriesInOrderWithPagination() {
        OciHttp oci = oci();
        List<String> all = OciHttp.strings(OciHttp.json(oci.get("/v2/_catalog")).get("repositories"));
        assertThat(all).contains(REPO).isSorted();
        var one = oci.get("/v2/_catalog?n=1");
        assertThat(OciHttp.strings(OciHttp.json(one).get("repositories"))).containsExactly(all.get(0));
        if (all.size() > 1) {
            assertThat(header(one, "Link")).contains("last=" + java.net.URLEncoder.encode(all.get(0),
                    StandardCharsets.UTF_8));
        }
    }
}
