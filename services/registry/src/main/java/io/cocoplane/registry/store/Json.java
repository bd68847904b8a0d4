package io.cocoplane.registry.store;

import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON text columns (lists of strings, annotation maps) of the registry schema. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static List<String> list(String json) {
        return json == null ? List.of() : MAPPER.readValue(json, new TypeReference<List<String>>() { });
    }

    static Map<String, String> map(String json) {
        return json == null ? Map.of() : MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
    }
}
