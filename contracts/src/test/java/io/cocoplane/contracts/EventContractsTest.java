package io.cocoplane.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EventContractsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void everyCatalogueTypeHasASampleAndEverySampleIsCatalogued() {
        Set<Class<?>> catalogued = new HashSet<>();
        EventCatalog.all().forEach(t -> catalogued.add(t.dataClass()));
        assertThat(SampleEvents.byClass().keySet()).containsExactlyInAnyOrderElementsOf(catalogued);
        assertThat(EventCatalog.all()).hasSize(14);
    }

    @TestFactory
    Stream<DynamicTest> everyEventRoundTripsThroughJsonAndValidates() {
        return Stream.concat(SampleEvents.full().stream(), SampleEvents.minimal().stream())
                .map(e -> DynamicTest.dynamicTest(e.getClass().getSimpleName() + " " + e.subject(), () -> {
                    EventType<?> type = EventCatalog.of(e.getClass());
                    byte[] json = MAPPER.writeValueAsBytes(e);
                    JsonNode tree = MAPPER.readTree(json);
                    assertThat(EventSchemas.validate(type, tree)).as("schema errors").isEmpty();
                    Object back = MAPPER.readValue(json, type.dataClass());
                    assertThat(back).isEqualTo(e);
                }));
    }

    @TestFactory
    Stream<DynamicTest> schemaPropertiesEqualRecordComponentsAndIdEqualsDataSchema() {
        return EventCatalog.all().stream().map(t -> DynamicTest.dynamicTest(t.ceType(), () -> {
            JsonNode schema = EventSchemas.schemaDocument(t);
            assertThat(schema.path("$id").asString()).isEqualTo(t.dataSchema());
            assertThat(schema.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            Set<String> props = new HashSet<>(schema.path("properties").propertyNames());
            Set<String> components = new HashSet<>();
            Arrays.stream(t.dataClass().getRecordComponents()).forEach(c -> components.add(c.getName()));
            assertThat(props).isEqualTo(components);
        }));
    }

    @Test
    void missingRequiredMemberAndWrongTypeAreSchemaErrors() {
        EventType<WorkloadStateChanged> type = EventCatalog.WORKLOAD_STATE_CHANGED;
        ObjectNode ok = (ObjectNode) MAPPER.valueToTree(new WorkloadStateChanged("wl", "A", "B", null, null));
        assertThat(EventSchemas.validate(type, ok)).isEmpty();

        ObjectNode missing = ok.deepCopy();
        missing.remove("to");
        assertThat(EventSchemas.validate(type, missing)).singleElement().asString().contains("to");

        ObjectNode retyped = ok.deepCopy();
        retyped.put("workloadId", 7);
        assertThat(EventSchemas.validate(type, retyped)).singleElement().asString().contains("workloadId");

        ObjectNode pushed = (ObjectNode) MAPPER.valueToTree(SampleEvents.byClass().get(ImagePushed.class));
        ((ObjectNode) pushed.get("layers").get(0)).put("size", "big");
        assertThat(EventSchemas.validate(EventCatalog.IMAGE_PUSHED, pushed)).singleElement().asString().contains("size");
    }

    @Test
    void typeNamesFollowTheConvention() {
        assertThat(EventCatalog.WORKLOAD_REQUESTED.ceType()).isEqualTo("io.cocoplane.workload.requested.v1");
        assertThat(EventCatalog.byCeType("io.cocoplane.key.denied.v1")).contains(EventCatalog.KEY_DENIED);
        assertThat(EventCatalog.byCeType("io.cocoplane.key.denied.v9")).isEmpty();
        assertThat(EventCatalog.onTopic(Topics.WORKLOAD_COMMANDS))
                .containsExactly(EventCatalog.WORKLOAD_REQUESTED, EventCatalog.WORKLOAD_DELETION_REQUESTED);
        assertThat(Topics.deadLetter(Topics.KEY_EVENTS)).isEqualTo("coco.key.events.dlt");
        assertThatThrownBy(() -> new EventType<>("Bad Name", 1, KeyDenied.class, Topics.KEY_EVENTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventType<>("a.b", 1, KeyDenied.class, "other.topic"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiredMembersAreEnforcedByTheRecords() {
        assertThatThrownBy(() -> new KeyDenied(null, null, null, null, null, "r"))
                .isInstanceOf(NullPointerException.class).hasMessage("resourcePath");
        assertThat(new ImagePushed("r", "d", List.of("a"), "m", List.of(), List.of(), null).subject()).isEqualTo("r@d");
    }
}
