package io.cocoplane.contracts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event catalogue of ARCHITECTURE §3 as constants, with look-ups by CloudEvents type and by payload class.
 */
public final class EventCatalog {

    private static final Map<String, EventType<?>> BY_CE_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, EventType<?>> BY_CLASS = new LinkedHashMap<>();

    public static final EventType<WorkloadRequested> WORKLOAD_REQUESTED = register(new EventType<>("workload.requested", 1, WorkloadRequested.class, Topics.WORKLOAD_COMMANDS));
    public static final EventType<WorkloadDeletionRequested> WORKLOAD_DELETION_REQUESTED = register(new EventType<>("workload.deletion-requested", 1, WorkloadDeletionRequested.class, Topics.WORKLOAD_COMMANDS));
    public static final EventType<WorkloadScheduled> WORKLOAD_SCHEDULED = register(new EventType<>("workload.scheduled", 1, WorkloadScheduled.class, Topics.WORKLOAD_EVENTS));
    public static final EventType<WorkloadStateChanged> WORKLOAD_STATE_CHANGED = register(new EventType<>("workload.state-changed", 1, WorkloadStateChanged.class, Topics.WORKLOAD_EVENTS));
    public static final EventType<ImagePushed> IMAGE_PUSHED = register(new EventType<>("image.pushed", 1, ImagePushed.class, Topics.IMAGE_EVENTS));
    public static final EventType<ImageDeleted> IMAGE_DELETED = register(new EventType<>("image.deleted", 1, ImageDeleted.class, Topics.IMAGE_EVENTS));
    public static final EventType<AttestationCompleted> ATTESTATION_COMPLETED = register(new EventType<>("attestation.completed", 1, AttestationCompleted.class, Topics.ATTESTATION_EVENTS));
    public static final EventType<KeyReleased> KEY_RELEASED = register(new EventType<>("key.released", 1, KeyReleased.class, Topics.KEY_EVENTS));
    public static final EventType<KeyDenied> KEY_DENIED = register(new EventType<>("key.denied", 1, KeyDenied.class, Topics.KEY_EVENTS));
    public static final EventType<KeyResourceUpdated> KEY_RESOURCE_UPDATED = register(new EventType<>("key.resource-updated", 1, KeyResourceUpdated.class, Topics.KEY_EVENTS));
    public static final EventType<KeyResourceDeleted> KEY_RESOURCE_DELETED = register(new EventType<>("key.resource-deleted", 1, KeyResourceDeleted.class, Topics.KEY_EVENTS));
    public static final EventType<PolicyUpdated> POLICY_UPDATED = register(new EventType<>("policy.updated", 1, PolicyUpdated.class, Topics.KEY_EVENTS));
    public static final EventType<ReferenceValueUpdated> REFERENCE_VALUE_UPDATED = register(new EventType<>("reference-value.updated", 1, ReferenceValueUpdated.class, Topics.ATTESTATION_EVENTS));
    public static final EventType<AuditCheckpoint> AUDIT_CHECKPOINT = register(new EventType<>("audit.checkpoint", 1, AuditCheckpoint.class, Topics.AUDIT_CHECKPOINTS));

    private EventCatalog() {
    }

    private static <T extends CocoEvent> EventType<T> register(EventType<T> type) {
        if (BY_CE_TYPE.putIfAbsent(type.ceType(), type) != null) {
            throw new IllegalStateException("duplicate event type " + type.ceType());
        }
        if (BY_CLASS.putIfAbsent(type.dataClass(), type) != null) {
            throw new IllegalStateException("payload class registered twice: " + type.dataClass());
        }
        return type;
    }

    /** @return every registered event type, in catalogue order */
    public static List<EventType<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_CE_TYPE.values()));
    }

    /**
     * @param ceType a CloudEvents {@code type} attribute, e.g. {@code io.cocoplane.key.released.v1}
     * @return the catalogue entry, or empty for a type this build does not know (a newer producer, or a foreign event)
     */
    public static Optional<EventType<?>> byCeType(String ceType) {
        return Optional.ofNullable(BY_CE_TYPE.get(ceType));
    }

    /**
     * @param dataClass a payload record class
     * @return its catalogue entry
     * @throws IllegalArgumentException when the class is not in the catalogue
     */
    @SuppressWarnings("unchecked")
    public static <T extends CocoEvent> EventType<T> of(Class<T> dataClass) {
        EventType<?> t = BY_CLASS.get(dataClass);
        if (t == null) {
            throw new IllegalArgumentException("not a catalogue event: " + dataClass.getName());
        }
        return (EventType<T>) t;
    }

    /** @return the catalogue entries published on one topic */
    public static List<EventType<?>> onTopic(String topic) {
        return BY_CE_TYPE.values().stream().filter(t -> t.topic().equals(topic)).toList();
    }
}
