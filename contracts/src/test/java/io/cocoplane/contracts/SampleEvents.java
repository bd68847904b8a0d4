package io.cocoplane.contracts;

import java.util.List;
import java.util.Map;

/** One fully populated instance of every catalogue event, and one with every optional member null. */
final class SampleEvents {

    private SampleEvents() {
    }

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static List<CocoEvent> full() {
        return List.of(
                new WorkloadRequested("wl-1", "llm-chat", "default", "registry.local/llm-chat:1.0", "snp",
                        List.of("default/model/weights-key"), new AgentPolicyOptions(false, true),
                        new ResourceLimits("2", "8Gi"), "alice"),
                new WorkloadDeletionRequested("wl-1", "alice"),
                new WorkloadScheduled("wl-1", "llm-chat-abc", "default", "registry.local/llm-chat@" + DIGEST, DIGEST,
                        "snp", "kata-qemu-snp", "cd".repeat(32), "sha256",
                        List.of("default/model/weights-key", "default/image-kek/llm-chat")),
                new WorkloadStateChanged("wl-1", "SCHEDULED", "FAILED", "KEY_DENIED", "policy denied"),
                new ImagePushed("llm-chat", DIGEST, List.of("1.0", "latest"), "application/vnd.oci.image.manifest.v1+json",
                        List.of(new LayerInfo(DIGEST, "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", 1234L, true,
                                List.of("provider.attestation-agent"), List.of("kbs:///default/image-kek/llm-chat"))),
                        List.of("kbs:///default/image-kek/llm-chat"), DIGEST),
                new ImageDeleted("llm-chat", DIGEST, List.of("1.0")),
                new AttestationCompleted("sha256:" + "01".repeat(32), "snp", "affirming",
                        Map.of("instance-identity", 2, "executables", 2), "aa".repeat(48), "cd".repeat(32), "wl-1",
                        "jti-1", null),
                new KeyReleased("default/model/weights-key", "snp", "cd".repeat(32), "wl-1", "jti-1", "affirming, bound"),
                new KeyDenied("default/model/weights-key", "snp", "ef".repeat(32), null, "jti-2", "no live binding"),
                new KeyResourceUpdated("default/model/weights-key", 3L, "admin", 32L),
                new KeyResourceDeleted("default/model/weights-key", "admin"),
                new PolicyUpdated("resource", "resource", "admin", DIGEST),
                new ReferenceValueUpdated("snp-launch-measurement", "admin", DIGEST),
                new AuditCheckpoint("cocoplane.local/audit", 42L, "AAAA", "cocoplane.local/audit\n42\nAAAA\n\n— k sig\n"));
    }

    static List<CocoEvent> minimal() {
        return List.of(
                new WorkloadRequested("wl-2", "n", "ns", "r/i:t", "tdx", List.of(), new AgentPolicyOptions(false, false),
                        null, "bob"),
                new WorkloadStateChanged("wl-2", null, "REQUESTED", null, null),
                new ImagePushed("r", DIGEST, List.of(), "application/vnd.oci.image.index.v1+json", List.of(), List.of(), null),
                new AttestationCompleted("sha256:00", "sample", "contraindicated", Map.of(), null, null, null, null,
                        "SignatureInvalid"),
                new KeyDenied("a/b/c", null, null, null, null, "unauthenticated"));
    }

    static Map<Class<?>, CocoEvent> byClass() {
        Map<Class<?>, CocoEvent> m = new java.util.LinkedHashMap<>();
        full().forEach(e -> m.put(e.getClass(), e));
        return m;
    }
}
