package io.cocoplane.registry.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cocoplane.registry.oci.OciError;
import io.cocoplane.registry.oci.RegistryException;

/**
 * A parsed query string. Parsed here rather than through {@code getParameter}, which would read form bodies of
 * uploads. At most 64 parameters and 8 KiB.
 */
final class Query {

    private final Map<String, List<String>> params;

    private Query(Map<String, List<String>> params) {
        this.params = params;
    }

    static Query parse(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new Query(out);
        }
        if (raw.length() > 8192) {
            throw new RegistryException(OciError.UNSUPPORTED, 400, "query string too long", null);
        }
        String[] pairs = raw.split("&", 65);
        if (pairs.length > 64) {
            throw new RegistryException(OciError.UNSUPPORTED, 400, "too many query parameters", null);
        }
        try {
            for (String pair : pairs) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        } catch (IllegalArgumentException e) {
            throw new RegistryException(OciError.UNSUPPORTED, 400, "malformed query string", null);
        }
        return new Query(out);
    }

    String first(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    boolean has(String name) {
        return params.containsKey(name);
    }
}
