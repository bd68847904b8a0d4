package io.cocoplane.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed schemas against the committed baseline in {@code src/test/resources/schema-baseline}: a breaking
 * change fails the build. To evolve an event incompatibly, add a {@code v<N+1>} type beside the old one; to record an
 * accepted compatible change, copy the new schema over the baseline.
 */
class SchemaCompatibilityTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode baseline(EventType<?> t) throws Exception {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(
                "/schema-baseline/" + t.name() + ".v" + t.version() + ".json")) {
            assertThat(in).as("baseline for " + t.ceType() + " is committed").isNotNull();
            return MAPPER.readTree(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> committedSchemasAreCompatibleWithTheBaseline() {
        return EventCatalog.all().stream().map(t -> DynamicTest.dynamicTest(t.ceType(), () ->
                assertThat(SchemaCompatibility.incompatibilities(baseline(t), EventSchemas.schemaDocument(t))).isEmpty()));
    }

    private static ObjectNode pushedCopy() {
        return (ObjectNode) EventSchemas.schemaDocument(EventCatalog.IMAGE_PUSHED).deepCopy();
    }

    @Test
    void removingAFieldIsIncompatible() {
        ObjectNode cur = pushedCopy();
        ((ObjectNode) cur.get("properties")).remove("tags");
        assertThat(SchemaCompatibility.incompatibilities(pushedCopy(), cur))
                .containsExactly("/properties/tags: field removed");
    }

    @Test
    void retypingAFieldIsIncompatibleAlsoInsideNestedDefinitions() {
        ObjectNode cur = pushedCopy();
        ((ObjectNode) cur.at("/$defs/LayerInfo/properties/size")).put("type", "string");
        assertThat(SchemaCompatibility.incompatibilities(pushedCopy(), cur))
                .containsExactly("/properties/layers/items/properties/size: retyped from integer to string");
    }

    @Test
    void aNewRequiredFieldIsIncompatibleButANewOptionalOneIsNot() {
        ObjectNode optional = pushedCopy();
        ((ObjectNode) optional.get("properties")).putObject("platform").put("type", "string");
        assertThat(SchemaCompatibility.incompatibilities(pushedCopy(), optional)).isEmpty();

        ObjectNode required = optional.deepCopy();
        ((ArrayNode) required.get("required")).add("platform");
        assertThat(SchemaCompatibility.incompatibilities(pushedCopy(), required))
                .containsExactly("/required: new required field 'platform'");
    }

    @Test
    void makingAnOptionalFieldNonNullableIsARetype() {
        ObjectNode cur = pushedCopy();
        ((ObjectNode) cur.at("/properties/subjectDigest")).put("type", "string");
        assertThat(SchemaCompatibility.incompatibilities(pushedCopy(), cur))
                .containsExactly("/properties/subjectDigest: retyped from null|string to string");
    }
}
