package io.cocoplane.contracts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Backward-compatibility check between a committed baseline schema and the current schema of an event type
 * (ARCHITECTURE §3, "Evolution": add fields freely; anything else is a new {@code v<N+1>} type).
 *
 * <p>A change is incompatible when, at the top level or inside any object reached through {@code properties},
 * {@code items}, {@code $defs} or {@code $ref}:
 * <ul>
 *   <li>a property of the baseline is missing from the current schema (field removed);</li>
 *   <li>a property's {@code type} (or {@code $ref} target) differs (field retyped);</li>
 *   <li>a name is in the current {@code required} list but not in the baseline's (new required field);</li>
 *   <li>the document's {@code $id} changed.</li>
 * </ul>
 * Descriptions, new optional properties and relaxed constraints are compatible.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /**
     * @param baseline the committed baseline schema document
     * @param current  the current schema document
     * @return one human-readable line per incompatibility, with the JSON pointer of the place; empty when compatible
     */
    public static List<String> incompatibilities(JsonNode baseline, JsonNode current) {
        List<String> out = new ArrayList<>();
        if (!baseline.path("$id").asString("").equals(current.path("$id").asString(""))) {
            out.add("/$id: changed from " + baseline.path("$id") + " to " + current.path("$id"));
        }
        compareObject("", baseline, current, baseline, current, out, new HashSet<>());
        return out;
    }

    private static void compareObject(String ptr, JsonNode base, JsonNode cur, JsonNode baseRoot, JsonNode curRoot,
                                      List<String> out, Set<String> seenRefs) {
        base = deref(base, baseRoot);
        cur = deref(cur, curRoot);
        Set<String> baseRequired = names(base.path("required"));
        for (String r : names(cur.path("required"))) {
            if (!baseRequired.contains(r)) {
                out.add(ptr + "/required: new required field '" + r + "'");
            }
        }
        JsonNode baseProps = base.path("properties");
        JsonNode curProps = cur.path("properties");
        for (Map.Entry<String, JsonNode> e : baseProps.properties()) {
            String name = e.getKey();
            String at = ptr + "/properties/" + name;
            JsonNode c = curProps.get(name);
            if (c == null) {
                out.add(at + ": field removed");
                continue;
            }
            compareValue(at, e.getValue(), c, baseRoot, curRoot, out, seenRefs);
        }
    }

    private static void compareValue(String at, JsonNode b, JsonNode c, JsonNode baseRoot, JsonNode curRoot,
                                     List<String> out, Set<String> seenRefs) {
        String bt = typeOf(b);
        String ct = typeOf(c);
        if (!bt.equals(ct)) {
            out.add(at + ": retyped from " + bt + " to " + ct);
            return;
        }
        String ref = refOf(b);
        if (ref != null && !seenRefs.add(at + ref)) {
            return;
        }
        JsonNode bd = deref(unwrapNullable(b), baseRoot);
        JsonNode cd = deref(unwrapNullable(c), curRoot);
        if (bd.has("properties") || bd.has("required")) {
            compareObject(at, bd, cd, baseRoot, curRoot, out, seenRefs);
        }
        if (bd.has("items")) {
            compareValue(at + "/items", bd.get("items"), cd.path("items"), baseRoot, curRoot, out, seenRefs);
        }
        if (bd.path("additionalProperties").isObject()) {
            compareValue(at + "/additionalProperties", bd.get("additionalProperties"),
                    cd.path("additionalProperties"), baseRoot, curRoot, out, seenRefs);
        }
    }

    /** A comparable description of a value's type: its {@code type} keyword, or the {@code $ref}, nullable-aware. */
    private static String typeOf(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "<absent>";
        }
        if (n.has("$ref")) {
            return "ref:" + n.get("$ref").asString();
        }
        if (n.has("anyOf")) {
            List<String> parts = new ArrayList<>();
            for (JsonNode a : n.get("anyOf")) {
                parts.add(typeOf(a));
            }
            parts.sort(null);
            return "anyOf" + parts;
        }
        JsonNode t = n.get("type");
        if (t == null) {
            return "<any>";
        }
        if (t.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode a : t) {
                parts.add(a.asString());
            }
            parts.sort(null);
            return String.join("|", parts);
        }
        return t.asString();
    }

    private static String refOf(JsonNode n) {
        JsonNode u = unwrapNullable(n);
        return u.has("$ref") ? u.get("$ref").asString() : null;
    }

    private static JsonNode unwrapNullable(JsonNode n) {
        if (n.has("anyOf")) {
            for (JsonNode a : n.get("anyOf")) {
                if (!"null".equals(a.path("type").asString(""))) {
                    return a;
                }
            }
        }
        return n;
    }

    private static JsonNode deref(JsonNode n, JsonNode root) {
        if (n.has("$ref")) {
            String ref = n.get("$ref").asString();
            if (ref.startsWith("#/")) {
                return root.at(ref.substring(1));
            }
        }
        return n;
    }

    private static Set<String> names(JsonNode arr) {
        Set<String> s = new HashSet<>();
        for (JsonNode n : arr) {
            s.add(n.asString());
        }
        return s;
    }
}
