package io.cocoplane.gateway.upstream;

/** The services the gateway routes to (ARCHITECTURE §2). */
public enum Upstream {
    /** OCI registry, {@code /api/v1/images…}. */
    REGISTRY,
    /** Workload read API, {@code /api/v1/workloads…}. */
    ORCHESTRATOR,
    /** KBS admin API, {@code /kbs/v0/…}. */
    KEYBROKER,
    /** Attestation admin API, {@code /api/v1/policies…}, {@code /api/v1/reference-values…}. */
    ATTESTATION,
    /** Audit log API, {@code /api/v1/audit/…}. */
    AUDIT;

    /** @return lower-case name as used in configuration and problem details */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
