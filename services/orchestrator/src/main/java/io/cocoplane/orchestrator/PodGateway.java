package io.cocoplane.orchestrator;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The Kubernetes calls the orchestrator makes: pods only (RBAC: get, list, watch, create, delete). */
@Component
public class PodGateway {

    private final KubernetesClient client;

    PodGateway(KubernetesClient client) {
        this.client = client;
    }

    /** @return the pod labelled with this workload id, if any */
    public Optional<Pod> findByWorkload(String namespace, String workloadId) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(PodPlanner.WORKLOAD_LABEL, workloadId).list()
                .getItems();
        return pods.stream().findFirst();
    }

    /** @return the named pod, if it exists */
    public Optional<Pod> get(String namespace, String name) {
        return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
    }

    /**
     * Creates a pod (never server-side apply: the mock API server answers 415 to it).
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException with the HTTP code on refusal (409 when it exists)
     */
    public Pod create(Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /**
     * Deletes the pods of a workload one by one, by name: a label-selected delete is a {@code deletecollection} on
     * the API server, a verb the orchestrator's Role does not grant (deploy/base/orchestrator-rbac.yaml).
     *
     * @return whether any pod was found to delete
     */
    public boolean deleteByWorkload(String namespace, String workloadId) {
        var pods = client.pods().inNamespace(namespace).withLabel(PodPlanner.WORKLOAD_LABEL, workloadId).list()
                .getItems();
        for (Pod p : pods) {
            client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete();
        }
        return !pods.isEmpty();
    }
}
