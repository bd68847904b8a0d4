package io.cocoplane.attestation.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Conversions between JSON trees, CEL values and the "plain" JSON shape this module passes around: {@link String},
 * {@link Long}, {@link Double}, {@link Boolean}, {@link List} and {@link Map} with string keys; JSON {@code null} is
 * represented by leaving the member out (CEL then reports a missing key, which a policy treats as "undefined").
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * @param node a JSON tree
     * @return its plain form; {@code null} for JSON null (and null members are dropped from objects)
     */
    public static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Object v = toPlain(e.getValue());
                if (v != null) {
                    m.put(e.getKey(), v);
                }
            }
            return Collections.unmodifiableMap(m);
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode c : node) {
                Object v = toPlain(c);
                if (v != null) {
                    l.add(v);
                }
            }
            return Collections.unmodifiableList(l);
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asString();
    }

    /**
     * Normalizes a plain-ish Java value for CEL: {@link Integer}/{@link Short}/{@link Byte} become {@link Long},
     * {@link Float} becomes {@link Double}, maps and lists are copied recursively, nulls dropped.
     *
     * @param value a value built from claims
     * @return the CEL-ready value, or {@code null} for null
     */
    public static Object normalize(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object n = normalize(v);
                if (n != null) {
                    m.put(String.valueOf(k), n);
                }
            });
            return Collections.unmodifiableMap(m);
        }
        if (value instanceof List<?> list) {
            List<Object> l = new ArrayList<>();
            for (Object o : list) {
                Object n = normalize(o);
                if (n != null) {
                    l.add(n);
                }
            }
            return Collections.unmodifiableList(l);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    /**
     * Converts a CEL evaluation result to the plain shape (unsigned ints become {@link Long}, byte strings and other
     * types their string form).
     *
     * @param value a CEL result
     * @return the plain value, or {@code null} for CEL null
     */
    public static Object fromCel(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> m = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    Object n = fromCel(v);
                    if (n != null) {
                        m.put(String.valueOf(k), n);
                    }
                });
                return Collections.unmodifiableMap(m);
            }
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) value) {
                Object n = fromCel(o);
                if (n != null) {
                    l.add(n);
                }
            }
            return Collections.unmodifiableList(l);
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        String name = value.getClass().getSimpleName();
        if (name.equals("NullValue")) {
            return null;
        }
        if (name.equals("UnsignedLong")) {
            return Long.parseUnsignedLong(value.toString());
        }
        return value.toString();
    }
}
