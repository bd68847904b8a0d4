package io.cocoplane.attestation.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AR4SI trustworthiness vector ({@code ear.trustworthiness-vector}, draft-ietf-rats-ar4si §2.3): the eight claims,
 * each an integer in −128…127, always all present in {@link #CLAIMS} order as trustee emits them.
 *
 * @param values claim name to value, unmodifiable, in {@link #CLAIMS} order
 */
public record TrustVector(Map<String, Integer> values) {

    /** The eight AR4SI claim names, in the order they are serialized. */
    public static final List<String> CLAIMS = List.of("instance-identity", "configuration", "executables",
            "file-system", "hardware", "runtime-opaque", "storage-opaque", "sourced-data");

    /**
     * @throws IllegalArgumentException when a claim is missing, unknown or outside −128…127
     */
    public TrustVector {
        if (!values.keySet().containsAll(CLAIMS) || values.size() != CLAIMS.size()) {
            throw new IllegalArgumentException("a trust vector holds exactly the claims " + CLAIMS);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String c : CLAIMS) {
            int v = values.get(c);
            if (v < -128 || v > 127) {
                throw new IllegalArgumentException(c + " = " + v + " is outside -128..127");
            }
            ordered.put(c, v);
        }
        values = Collections.unmodifiableMap(ordered);
    }

    /** @return the worst tier of the claims ({@link EarStatus#NONE} when all are in −1…1) */
    public EarStatus status() {
        EarStatus s = EarStatus.NONE;
        for (int v : values.values()) {
            s = s.worst(EarStatus.tierOf(v));
        }
        return s;
    }

    /**
     * @param claim an AR4SI claim name
     * @return its value
     */
    public int get(String claim) {
        return values.get(claim);
    }
}
