package io.cocoplane.katasim;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Identity of one pod incarnation: a pod recreated under the same name has another {@code uid}.
 *
 * @param namespace namespace
 * @param name      name
 * @param uid       {@code metadata.uid}
 */
record PodRef(String namespace, String name, String uid) {

    static PodRef of(Pod pod) {
        return new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid());
    }

    /** @return {@code namespace/name} */
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
