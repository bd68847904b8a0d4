package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The resource-path grammar of note §1.1 (trustee {@code ResourceDesc::try_from} unit cases) and the §10 traversal cases. */
class ResourcePathTest {

    @Test
    void upstreamOkDefault12() {
        ResourcePath p = ResourcePath.parse("default/1/2");
        assertThat(p.repository()).isEqualTo("default");
        assertThat(p.type()).isEqualTo("1");
        assertThat(p.tag()).isEqualTo("2");
        assertThat(p.toUriPath()).isEqualTo("/kbs/v0/resource/default/1/2");
    }

    @Test
    void upstreamOkDotsNotAtSegmentStart() {
        ResourcePath p = ResourcePath.parse("1.ok/2ok./3...");
        assertThat(p).isEqualTo(new ResourcePath("1.ok", "2ok.", "3..."));
        assertThat(p.toString()).isEqualTo("1.ok/2ok./3...");
    }

    @Test
    void underscoresAndDashesMayStartASegment() {
        assertThat(ResourcePath.parse("_repo/-type/tag_1-x").tag()).isEqualTo("tag_1-x");
    }

    @Test
    void upstreamBadLeadingSlash() {
        assertThatThrownBy(() -> ResourcePath.parse("/1/2")).isInstanceOf(InvalidResourcePathException.class);
    }

    @Test
    void upstreamBadTwoSegments() {
        assertThatThrownBy(() -> ResourcePath.parse("1/2")).isInstanceOf(InvalidResourcePathException.class)
                .hasMessageContaining("expected 3 segments");
    }

    @Test
    void upstreamBadDotStart() {
        assertThatThrownBy(() -> ResourcePath.parse(".1.ok/..."))
                .isInstanceOf(InvalidResourcePathException.class);
    }

    @Test
    void fourSegmentsRefused() {
        assertThatThrownBy(() -> ResourcePath.parse("a/b/c/d")).isInstanceOf(InvalidResourcePathException.class)
                .hasMessageContaining("got 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../b/c", "a/../c", "a/b/..", "a/.x/c", "a/b/.hidden", ".", "%2e%2e/b/c", "a/%2e%2e/c",
            "a//c", "a/b/", "a/b/c/", "", "a b/c/d", "a/b/c?x=1", "a\\b/c/d", "a/b/c\u0000", "ä/b/c"})
    void traversalAndAlphabetViolationsRefused(String path) {
        assertThatThrownBy(() -> ResourcePath.parse(path)).isInstanceOf(InvalidResourcePathException.class);
    }

    @Test
    void segmentLengthLimit() {
        String ok = "a".repeat(ResourcePath.MAX_SEGMENT_LENGTH);
        assertThat(ResourcePath.parse(ok + "/b/c").repository()).hasSize(255);
        assertThatThrownBy(() -> ResourcePath.parse(ok + "a/b/c")).isInstanceOf(InvalidResourcePathException.class);
        assertThatThrownBy(() -> ResourcePath.parse("a/".repeat(10_000)))
                .isInstanceOf(InvalidResourcePathException.class);
    }

    @Test
    void nullRefused() {
        assertThatThrownBy(() -> ResourcePath.parse(null)).isInstanceOf(InvalidResourcePathException.class);
        assertThatThrownBy(() -> new ResourcePath("a", null, "c")).isInstanceOf(InvalidResourcePathException.class);
    }
}
