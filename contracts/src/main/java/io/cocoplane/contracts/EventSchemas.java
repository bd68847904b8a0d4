package io.cocoplane.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates event payloads against the JSON Schemas (draft 2020-12) shipped in this module under
 * {@code schemas/<name>.v<version>.json}, using networknt json-schema-validator.
 */
public final class EventSchemas {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private EventSchemas() {
    }

    /**
     * @param type a catalogue entry
     * @return the parsed schema document (as committed in {@code src/main/resources/schemas})
     * @throws IllegalStateException when the schema resource is missing from the classpath
     */
    public static JsonNode schemaDocument(EventType<?> type) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + type.schemaResource());
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates a payload document.
     *
     * @param type the event type whose schema applies
     * @param data the payload as a JSON tree (the CloudEvent {@code data})
     * @return the validation errors as messages naming the instance location; empty when valid
     */
    public static List<String> validate(EventType<?> type, JsonNode data) {
        Schema schema = CACHE.computeIfAbsent(type.ceType(), k -> REGISTRY.getSchema(schemaDocument(type)));
        List<Error> errors = schema.validate(data);
        return errors.stream().map(Error::toString).toList();
    }
}
