package io.cocoplane.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Path parsing of the catch-all {@code /v2/**} handler and the name grammar. */
class RouteTest {

    @Test
    void multiSegmentNamesRouteToEveryEndpoint() {
        assertThat(Route.parse("")).isEqualTo(new Route(Route.Kind.BASE, null, null));
        assertThat(Route.parse("_catalog").kind()).isEqualTo(Route.Kind.CATALOG);
        assertThat(Route.parse("a/b/c/manifests/latest")).isEqualTo(new Route(Route.Kind.MANIFEST, "a/b/c", "latest"));
        assertThat(Route.parse("a/blobs/b/manifests/x")).isEqualTo(new Route(Route.Kind.MANIFEST, "a/blobs/b", "x"));
        assertThat(Route.parse("a/b/blobs/sha256:00")).isEqualTo(new Route(Route.Kind.BLOB, "a/b", "sha256:00"));
        assertThat(Route.parse("a/b/blobs/uploads/")).isEqualTo(new Route(Route.Kind.UPLOAD_START, "a/b", null));
        assertThat(Route.parse("a/b/blobs/uploads/123")).isEqualTo(new Route(Route.Kind.UPLOAD, "a/b", "123"));
        assertThat(Route.parse("a/manifests/tags/list")).isEqualTo(new Route(Route.Kind.TAGS, "a/manifests", null));
        assertThat(Route.parse("x/referrers/sha256:1")).isEqualTo(new Route(Route.Kind.REFERRERS, "x", "sha256:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../a/tags/list", "a/../b/tags/list", "a..b/tags/list", "/a/tags/list", "a//b/tags/list",
        "A/tags/list", "a%2fb/tags/list", "a_/tags/list", "a/-b/tags/list", ".a/tags/list", "a___b/tags/list"})
    void badNamesAreNameInvalid(String path) {
        assertThatThrownBy(() -> Route.parse(path)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(OciError.NAME_INVALID));
    }

    @Test
    void unknownPathsAreNotEndpoints() {
        assertThatThrownBy(() -> Route.parse("a/b")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void grammarAcceptsSeparatorsAndRejectsLongNames() {
        assertThat(OciNames.isValidName("a.b_c__d---e/f0")).isTrue();
        assertThat(OciNames.isValidName("a".repeat(255))).isTrue();
        assertThat(OciNames.isValidName("a".repeat(256))).isFalse();
        assertThat(OciNames.isValidTag("sha256-" + "a".repeat(64) + ".sig")).isTrue();
        assertThat(OciNames.isValidTag("a".repeat(129))).isFalse();
        assertThat(OciNames.isValidTag("-x")).isFalse();
    }

    @Test
    void digestsAreCheckedPerAlgorithm() {
        assertThat(Digest.parse("sha256:" + "a".repeat(64)).hex()).hasSize(64);
        assertThat(Digest.parse("sha512:" + "b".repeat(128)).algorithm()).isEqualTo("sha512");
        for (String bad : new String[] {"sha256:" + "A".repeat(64), "sha256:abc", "md5:" + "a".repeat(32),
            "sha256:totallywrong", "nocolon", "sha256:" + "a".repeat(65)}) {
            assertThatThrownBy(() -> Digest.parse(bad)).isInstanceOf(RegistryException.class);
        }
    }
}
