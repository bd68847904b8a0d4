package io.cocoplane.keybroker.domain;

import java.util.List;

/**
 * What the key broker knows of a scheduled workload (from {@code workload.scheduled}, {@code workload.state-changed}
 * and {@code image.pushed}).
 *
 * @param workloadId       the workload id
 * @param initDataDigest   lowercase hex of its init-data digest
 * @param imageDigest      pinned image manifest digest
 * @param tee              TEE kind from the schedule
 * @param allowedResources resource paths it may receive: the scheduled list plus its image's KEK ids ({@code kbs:///}
 *                         stripped)
 * @param live             false once the workload is TERMINATED or FAILED
 */
public record WorkloadBinding(String workloadId, String initDataDigest, String imageDigest, String tee,
                              List<String> allowedResources, boolean live) {

    /** Copies the list. */
    public WorkloadBinding {
        allowedResources = List.copyOf(allowedResources);
    }

    /**
     * Strips a CoCo key id's scheme and authority: {@code kbs:///a/b/c}, {@code kbs://host:8080/a/b/c} and
     * {@code kbs+plugin:///a/b/c} become {@code a/b/c}; a plain path is returned as is.
     *
     * @param keyIdOrPath key id or path
     * @return the path part
     */
    public static String resourcePathOf(String keyIdOrPath) {
        if (keyIdOrPath == null) {
            return null;
        }
        int scheme = keyIdOrPath.indexOf("://");
        if (scheme > 0 && keyIdOrPath.startsWith("kbs")) {
            int slash = keyIdOrPath.indexOf('/', scheme + 3);
            return slash < 0 ? "" : keyIdOrPath.substring(slash + 1);
        }
        return keyIdOrPath;
    }
}
