package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.KeyResourceDeleted;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;

/** The leaf bytes: RFC 8785 canonical structured-mode CloudEvent JSON, byte for byte. */
class CanonicalEventTest {

    private final CanonicalEvent canonical = new CanonicalEvent(new CloudEventCodec(JsonMapper.builder().build(),
            1 << 20), JsonMapper.builder().build());

    @Test
    void membersAreSortedWhitespaceFreeAndComplete() {
        var event = new EventEnvelope<>("6f1c9a8e-0000-4000-8000-000000000001", EventCatalog.KEY_RESOURCE_DELETED,
                "/cocoplane/keybroker", "default/kek/1", OffsetDateTime.parse("2025-01-02T03:04:05.500Z"),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                new KeyResourceDeleted("default/kek/1", "admin"), "coco.key.events", 3, 42L, null, null, null);

        String expected = "{\"data\":{\"deletedBy\":\"admin\",\"resourcePath\":\"default/kek/1\"},"
                + "\"datacontenttype\":\"application/json\","
                + "\"dataschema\":\"urn:cocoplane:schema:key.resource-deleted.v1\","
                + "\"id\":\"6f1c9a8e-0000-4000-8000-000000000001\","
                + "\"source\":\"/cocoplane/keybroker\","
                + "\"specversion\":\"1.0\","
                + "\"subject\":\"default/kek/1\","
                + "\"time\":\"2025-01-02T03:04:05.5Z\","
                + "\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\","
                + "\"type\":\"io.cocoplane.key.resource-deleted.v1\"}";
        assertThat(new String(canonical.encode(event), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void absentTimeAndTraceparentAreOmittedAndNonAsciiIsKeptAsUtf8() {
        var event = new EventEnvelope<>("id-2", EventCatalog.IMAGE_DELETED, "/cocoplane/registry",
                "r\u00e9po@sha256:00", null, null, new ImageDeleted("r\u00e9po", "sha256:00", List.of("b", "a")),
                "coco.image.events", 0, 0L, null, null, null);
        byte[] leaf = canonical.encode(event);
        String json = new String(leaf, StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"data\":{\"digest\":\"sha256:00\",\"repository\":\"r\u00e9po\","
                + "\"tags\":[\"b\",\"a\"]},\"datacontenttype\":\"application/json\","
                + "\"dataschema\":\"urn:cocoplane:schema:image.deleted.v1\",\"id\":\"id-2\","
                + "\"source\":\"/cocoplane/registry\",\"specversion\":\"1.0\",\"subject\":\"r\u00e9po@sha256:00\","
                + "\"type\":\"io.cocoplane.image.deleted.v1\"}");
        // é is two UTF-8 bytes, not an escape
        assertThat(leaf).contains((byte) 0xC3, (byte) 0xA9);
        // canonicalisation is idempotent
        assertThat(CanonicalEvent.canonicalize(json)).isEqualTo(leaf);
    }

    @Test
    void theLeafKeepsWhatWasReceivedIncludingDataMembersThisBuildDoesNotKnow() {
        byte[] received = "{\"resourcePath\":\"default/kek/1\",\"deletedBy\":\"admin\",\"reason\":\"rotated\"}"
                .getBytes(StandardCharsets.UTF_8);
        var event = new EventEnvelope<>("id-3", EventCatalog.KEY_RESOURCE_DELETED, "/cocoplane/keybroker",
                "default/kek/1", null, null, new KeyResourceDeleted("default/kek/1", "admin"), "coco.key.events", 0,
                7L, "urn:cocoplane:schema:key.resource-deleted.v1", "application/json; charset=utf-8", received);
        String json = new String(canonical.encode(event), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"data\":{\"deletedBy\":\"admin\",\"reason\":\"rotated\","
                + "\"resourcePath\":\"default/kek/1\"},\"datacontenttype\":\"application/json; charset=utf-8\",");
    }
}
