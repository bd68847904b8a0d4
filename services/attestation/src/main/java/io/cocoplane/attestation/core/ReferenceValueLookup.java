package io.cocoplane.attestation.core;

import java.util.Optional;

/**
 * The {@code query_reference_value(name)} source of a policy evaluation: the live (unexpired) reference values.
 * Values are JSON shaped as plain Java: {@link String}, {@link Long}, {@link Double}, {@link Boolean},
 * {@link java.util.List} and {@link java.util.Map} (string keys) of the same.
 */
@FunctionalInterface
public interface ReferenceValueLookup {

    /**
     * @param name a reference value name
     * @return its value, or empty when absent or expired
     */
    Optional<Object> find(String name);

    /** @return a lookup that knows no value */
    static ReferenceValueLookup empty() {
        return name -> Optional.empty();
    }
}
