package io.cocoplane.local;

import java.util.Locale;

/** The six services of the stack, in the order the summary lists them (ARCHITECTURE §2). */
public enum ServiceName {
    /** Public REST API, registry tokens. */
    GATEWAY,
    /** OCI registry. */
    REGISTRY,
    /** Attestation service. */
    ATTESTATION,
    /** KBS key broker. */
    KEYBROKER,
    /** Workload orchestrator. */
    ORCHESTRATOR,
    /** Merkle audit log. */
    AUDIT;

    /** @return the module, schema and log name, e.g. {@code keybroker} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param ports the stack's ports
     * @return this service's HTTP port
     */
    public int port(Ports ports) {
        return switch (this) {
            case GATEWAY -> ports.gateway();
            case REGISTRY -> ports.registry();
            case ATTESTATION -> ports.attestation();
            case KEYBROKER -> ports.keybroker();
            case ORCHESTRATOR -> ports.orchestrator();
            case AUDIT -> ports.audit();
        };
    }

    /**
     * @param id a module name such as {@code audit}
     * @return the service
     * @throws IllegalArgumentException for any other name
     */
    public static ServiceName of(String id) {
        for (ServiceName s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a cocoplane service: " + id);
    }
}
