package io.cocoplane.contracts;

import java.util.List;

/**
 * Kafka topic names of the event catalogue (ARCHITECTURE §3). Each consumer group dead-letters to
 * {@code <topic>.dlt} (see {@link #deadLetter(String)}).
 */
public final class Topics {

    /** Commands to the orchestrator: {@code workload.requested}, {@code workload.deletion-requested}. */
    public static final String WORKLOAD_COMMANDS = "coco.workload.commands";
    /** Workload facts: {@code workload.scheduled}, {@code workload.state-changed}. */
    public static final String WORKLOAD_EVENTS = "coco.workload.events";
    /** Registry facts: {@code image.pushed}, {@code image.deleted}. */
    public static final String IMAGE_EVENTS = "coco.image.events";
    /** Attestation facts: {@code attestation.completed}, {@code reference-value.updated}. */
    public static final String ATTESTATION_EVENTS = "coco.attestation.events";
    /** Key broker facts: releases, denials, resource and policy changes. */
    public static final String KEY_EVENTS = "coco.key.events";
    /** Signed audit-log checkpoints. */
    public static final String AUDIT_CHECKPOINTS = "coco.audit.checkpoints";

    /** Every catalogue topic, in a stable order. */
    public static final List<String> ALL = List.of(WORKLOAD_COMMANDS, WORKLOAD_EVENTS, IMAGE_EVENTS,
            ATTESTATION_EVENTS, KEY_EVENTS, AUDIT_CHECKPOINTS);

    /** Suffix of dead-letter topics. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    /**
     * @param topic a topic name, e.g. {@code coco.key.events}
     * @return its dead-letter topic, e.g. {@code coco.key.events.dlt}
     */
    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
