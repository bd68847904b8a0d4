package io.cocoplane.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Image references, KBS resource URIs and init-data digest comparison. */
class ValuesTest {

    static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void imageReferencesSplitRegistryRepositoryTagAndDigest() {
        assertThat(ImageReference.parse("127.0.0.1:5000/team/app:v1")).contains(
                new ImageReference("127.0.0.1:5000", "team/app", "v1", null));
        assertThat(ImageReference.parse("team/app")).contains(new ImageReference(null, "team/app", "latest", null));
        assertThat(ImageReference.parse("localhost/app@" + D)).contains(
                new ImageReference("localhost", "app", null, D));
        assertThat(ImageReference.parse("reg.example/a/b:t@" + D).orElseThrow().pinned(D, "x"))
                .isEqualTo("reg.example/a/b@" + D);
        assertThat(ImageReference.parse("team/app:v1").orElseThrow().pinned(D, "127.0.0.1:5000"))
                .isEqualTo("127.0.0.1:5000/team/app@" + D);
        for (String bad : new String[] {"", "Team/App", "app:", "app@sha256:abc", "a//b", "app:v1 ", "x".repeat(513)}) {
            assertThat(ImageReference.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void kbsKeyIdsReduceToResourcePaths() {
        assertThat(KbsResourceUri.path("kbs:///team/key/app")).contains("team/key/app");
        assertThat(KbsResourceUri.path("kbs://kbs.example:8080/team/key/app")).contains("team/key/app");
        assertThat(KbsResourceUri.path("kbs+plugin:///a/b/c")).contains("a/b/c");
        assertThat(KbsResourceUri.path("kbs:///team/key")).isEmpty();
        assertThat(KbsResourceUri.path("kbs:///team/../app")).isEmpty();
        assertThat(KbsResourceUri.path("https:///a/b/c")).isEmpty();
        assertThat(KbsResourceUri.isPath("a/b/c")).isTrue();
        assertThat(KbsResourceUri.isPath("a/b/c/d")).isFalse();
    }

    @Test
    void reportedDigestsMatchWhenEqualTruncatedOrZeroPadded() {
        String sha256 = "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5";
        assertThat(InitDataDigests.matches(sha256, sha256.toUpperCase())).isTrue();
        assertThat(InitDataDigests.matches(sha256, sha256 + "0".repeat(32))).isTrue(); // TDX MRCONFIGID
        String sha384 = sha256 + "11".repeat(16);
        assertThat(InitDataDigests.matches(sha384, sha256)).isTrue(); // SNP HOST_DATA truncation
        assertThat(InitDataDigests.matches(sha256, sha256 + "1" + "0".repeat(31))).isFalse();
        assertThat(InitDataDigests.matches(sha256, sha256.substring(0, 62))).isFalse();
        assertThat(InitDataDigests.matches(sha256, "00" + sha256.substring(2))).isFalse();
    }
}
