package io.cocoplane.orchestrator.k8s;

import java.util.List;

import io.cocoplane.initdata.InitDataDocument;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod ready to be created, with the facts {@code workload.scheduled} reports.
 *
 * @param pod              the pod
 * @param runtimeClass     its RuntimeClass
 * @param image            image pinned by digest
 * @param imageDigest      manifest digest
 * @param initData         the init-data document whose gzip+base64 is the annotation
 * @param allowedResources KBS resource paths the workload may receive (requested ones, then the image's KEKs)
 */
public record PodPlan(Pod pod, String runtimeClass, String image, String imageDigest, InitDataDocument initData,
                      List<String> allowedResources) {

    /** Copies the list. */
    public PodPlan {
        allowedResources = List.copyOf(allowedResources);
    }

    /** @return the pod name */
    public String podName() {
        return pod.getMetadata().getName();
    }
}
