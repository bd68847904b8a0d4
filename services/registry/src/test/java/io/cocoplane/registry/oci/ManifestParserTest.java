package io.cocoplane.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** References, subject and artifact type read from manifests; malformed ones refused with MANIFEST_INVALID. */
class ManifestParserTest {

    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void imageManifestWithSubjectAndForeignLayer() {
        ParsedManifest pm = ManifestParser.parse(b("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/cfg\","
                + "\"digest\":\"" + D1 + "\",\"size\":3},\"layers\":[{\"mediaType\":\"a+encrypted\",\"digest\":\"" + D2
                + "\",\"size\":9,\"urls\":[\"https://x\"]}],\"subject\":{\"mediaType\":\"m\",\"digest\":\"" + D2
                + "\",\"size\":1},\"annotations\":{\"k\":\"v\"}}"), "application/vnd.oci.image.manifest.v1+json; x=y");
        assertThat(pm.index()).isFalse();
        assertThat(pm.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(pm.config().digest().toString()).isEqualTo(D1);
        assertThat(pm.layers()).singleElement().satisfies(l -> assertThat(l.external()).isTrue());
        assertThat(pm.subject().digest().toString()).isEqualTo(D2);
        assertThat(pm.effectiveArtifactType()).isEqualTo("x/cfg");
        assertThat(pm.annotations()).containsEntry("k", "v");
    }

    @Test
    void indexWithoutMediaTypeIsRecognisedByItsManifests() {
        ParsedManifest pm = ManifestParser.parse(b("{\"schemaVersion\":2,\"artifactType\":\"t\",\"manifests\":[{"
                + "\"mediaType\":\"m\",\"digest\":\"" + D1 + "\",\"size\":3}]}"), null);
        assertThat(pm.index()).isTrue();
        assertThat(pm.manifests()).hasSize(1);
        assertThat(pm.effectiveArtifactType()).isEqualTo("t");
    }

    @Test
    void malformedManifestsAreInvalid() {
        for (String bad : new String[] {"[]", "{}", "{\"schemaVersion\":1}", "{\"schemaVersion\":2}",
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1}}",
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-1}}",
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1},\"layers\":{}}",
            "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":1}}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"}) {
            String contentType = bad.contains("index") ? MediaTypes.OCI_MANIFEST : null;
            assertThatThrownBy(() -> ManifestParser.parse(b(bad), contentType)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(OciError.MANIFEST_INVALID));
        }
    }
}
