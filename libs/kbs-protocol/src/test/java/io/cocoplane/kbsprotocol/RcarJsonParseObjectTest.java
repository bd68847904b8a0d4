package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@link RcarJson#parseObject}: the RCAR limits applied to the other JSON bodies of the KBS API. */
class RcarJsonParseObjectTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An object whose member {@code x} nests arrays so that the document is {@code depth} deep. */
    private static byte[] nested(int depth) {
        int arrays = depth - 1;
        return b("{\"x\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}");
    }

    @Test
    void nestingUpToTheLimitIsAcceptedOneMoreIsNot() {
        assertThat(RcarJson.parseObject(nested(RcarJson.MAX_NESTING_DEPTH), 1024, "body").has("x")).isTrue();
        assertThatThrownBy(() -> RcarJson.parseObject(nested(RcarJson.MAX_NESTING_DEPTH + 1), 1024, "body"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void duplicatesNonObjectsAndOversizedDocumentsAreRefusedNamingTheDocument() {
        assertThatThrownBy(() -> RcarJson.parseObject(b("{\"a\":1,\"a\":2}"), 1024, "admin body"))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("admin body:")
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> RcarJson.parseObject(b("[1]"), 1024, "admin body"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> RcarJson.parseObject(b("{\"a\":\"" + "x".repeat(100) + "\"}"), 64, "admin body"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("exceeds the limit of 64");
        assertThat(RcarJson.parseObject(b("{\"policy\":\"dHJ1ZQ\"}"), 64, "admin body").get("policy").asString())
                .isEqualTo("dHJ1ZQ");
    }
}
