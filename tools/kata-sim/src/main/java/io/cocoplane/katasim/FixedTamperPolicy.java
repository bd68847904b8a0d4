package io.cocoplane.katasim;

import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * A {@link TamperPolicy} from a fixed map keyed by workload name (label {@value TamperPolicy#WORKLOAD_NAME_LABEL}, as
 * the orchestrator sets it) or, second, by workload id (label {@value TamperPolicy#WORKLOAD_ID_LABEL}). Pods matching
 * no key get {@link TamperMode#NONE}.
 */
public final class FixedTamperPolicy implements TamperPolicy {

    private final Map<String, TamperMode> modes;

    /**
     * @param modes workload name (or id) to mode; copied
     * @throws NullPointerException when the map, a key or a value is null
     */
    public FixedTamperPolicy(Map<String, TamperMode> modes) {
        this.modes = Map.copyOf(Objects.requireNonNull(modes, "modes"));
    }

    /** {@inheritDoc} */
    @Override
    public TamperMode modeFor(Pod pod) {
        for (String key : TamperPolicy.workloadKeys(pod)) {
            TamperMode m = modes.get(key);
            if (m != null) {
                return m;
            }
        }
        return TamperMode.NONE;
    }

    @Override
    public String toString() {
        return "FixedTamperPolicy" + modes;
    }
}
