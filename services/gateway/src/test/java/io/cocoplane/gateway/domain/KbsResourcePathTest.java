package io.cocoplane.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KbsResourcePathTest {

    @Test
    void parsesThreeSegments() {
        assertThat(KbsResourcePath.parse("default/key/model.kek-1_a"))
                .isEqualTo(new KbsResourcePath("default", "key", "model.kek-1_a"));
        assertThat(KbsResourcePath.parse("-r/_t/x").toString()).isEqualTo("-r/_t/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a/b/c/d", "a//c", ".a/b/c", "a/b/.c", "a/b..c/d", "a/b/c..",
            "a/b/c d", "a/b/c%2F", "a/b/ü"})
    void refusesBadPaths(String path) {
        assertThatThrownBy(() -> KbsResourcePath.parse(path)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesOverlongSegments() {
        assertThat(KbsResourcePath.parse("a/b/" + "c".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> KbsResourcePath.parse("a/b/" + "c".repeat(129)))
                .isInstanceOf(InvalidRequestException.class);
    }
}
