package io.cocoplane.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void parsesRegistryRepositoryTagAndDigest() {
        assertThat(ImageReference.parse("registry.local:5000/team/llm-chat_v2:1.0-rc1"))
                .isEqualTo(new ImageReference("registry.local:5000", "team/llm-chat_v2", "1.0-rc1", null));
        assertThat(ImageReference.parse("localhost/a@" + DIGEST))
                .isEqualTo(new ImageReference("localhost", "a", null, DIGEST));
        assertThat(ImageReference.parse("[::1]:5000/a/b:t@" + DIGEST))
                .isEqualTo(new ImageReference("[::1]:5000", "a/b", "t", DIGEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "chat:1", "team/chat:1", "registry.local/chat", "registry.local/Chat:1",
            "registry.local/chat:-bad", "registry.local/chat@sha256:ABC", "registry.local/chat@sha512:00",
            "registry.local//chat:1", "registry.local/chat..x:1", "registry.local/chat/:1", "-bad.host/chat:1",
            "registry.local/chat:1 "})
    void refusesWhatTheGrammarOrTheRulesForbid(String ref) {
        assertThatThrownBy(() -> ImageReference.parse(ref)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesNamesOver255Characters() {
        String longPath = "a/".repeat(130) + "b";
        assertThatThrownBy(() -> ImageReference.parse("r.io/" + longPath + ":1"))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(ImageReference.isRepository("a/".repeat(120) + "b")).isTrue();
        assertThat(ImageReference.isRepository(longPath)).isFalse();
    }
}
