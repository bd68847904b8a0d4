package io.cocoplane.katasim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Chooses the {@link TamperMode} of a pod, once per attempt. Implementations must be thread-safe and must not throw:
 * a policy that cannot decide answers {@link TamperMode#NONE}.
 */
@FunctionalInterface
public interface TamperPolicy {

    /** Label the orchestrator sets to the workload name ({@code app.kubernetes.io/name}). */
    String WORKLOAD_NAME_LABEL = "app.kubernetes.io/name";
    /** Label the orchestrator sets to the workload id ({@code cocoplane.io/workload-id}). */
    String WORKLOAD_ID_LABEL = "cocoplane.io/workload-id";

    /**
     * @param pod the pod about to be started
     * @return the mode; never {@code null}
     */
    TamperMode modeFor(Pod pod);

    /** @return a policy that never tampers */
    static TamperPolicy none() {
        return new FixedTamperPolicy(Map.of());
    }

    /**
     * @param modes workload name (or id) to mode; copied
     * @return a fixed-map policy, see {@link FixedTamperPolicy}
     * @throws NullPointerException when the map, a key or a value is null
     */
    static TamperPolicy fixed(Map<String, TamperMode> modes) {
        return new FixedTamperPolicy(modes);
    }

    /**
     * @param file a properties file {@code <workload-name>=<mode>}, re-read for every pod; need not exist yet
     * @return a file-backed policy, see {@link FileTamperPolicy}
     * @throws NullPointerException when {@code file} is null
     */
    static TamperPolicy file(Path file) {
        return new FileTamperPolicy(file);
    }

    /**
     * The keys a pod is looked up by, in order: the value of {@value #WORKLOAD_NAME_LABEL}, then of
     * {@value #WORKLOAD_ID_LABEL}; labels that are absent or blank are skipped.
     *
     * @param pod a pod
     * @return the lookup keys, possibly empty
     */
    static List<String> workloadKeys(Pod pod) {
        List<String> keys = new ArrayList<>(2);
        Map<String, String> labels = pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        if (labels != null) {
            for (String label : List.of(WORKLOAD_NAME_LABEL, WORKLOAD_ID_LABEL)) {
                String v = labels.get(label);
                if (v != null && !v.isBlank()) {
                    keys.add(v);
                }
            }
        }
        return keys;
    }
}
