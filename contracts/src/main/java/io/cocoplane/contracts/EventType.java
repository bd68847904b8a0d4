package io.cocoplane.contracts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the event catalogue: the CloudEvents type, the payload record, the topic and the JSON Schema.
 *
 * <p>Naming (ARCHITECTURE §3): the CloudEvents {@code type} is {@code io.cocoplane.<name>.v<version>}, e.g.
 * {@code io.cocoplane.workload.requested.v1}; the {@code dataschema} is {@code urn:cocoplane:schema:<name>.v<version>},
 * equal to the {@code $id} of the schema resource {@code schemas/<name>.v<version>.json} in this module.
 *
 * @param name      dotted event name, e.g. {@code workload.requested}: lowercase letters, digits, {@code .} and
 *                  {@code -}
 * @param version   schema major version, from 1; a breaking change is a new version, produced beside the old one
 * @param dataClass the payload record
 * @param topic     the Kafka topic the event is published on (one of {@link Topics#ALL})
 * @param <T>       payload type
 */
public record EventType<T extends CocoEvent>(String name, int version, Class<T> dataClass, String topic) {

    /** Prefix of every cocoplane CloudEvents type. */
    public static final String TYPE_PREFIX = "io.cocoplane.";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    /**
     * @throws IllegalArgumentException when the name does not match the grammar, the version is below 1 or the topic
     *                                  is not a catalogue topic
     */
    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(topic, "topic");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("event name does not match " + NAME + ": " + name);
        }
        if (version < 1) {
            throw new IllegalArgumentException("event version must be >= 1: " + version);
        }
        if (!Topics.ALL.contains(topic)) {
            throw new IllegalArgumentException("not a catalogue topic: " + topic);
        }
    }

    /** @return the CloudEvents {@code type} attribute, e.g. {@code io.cocoplane.workload.requested.v1} */
    public String ceType() {
        return TYPE_PREFIX + name + ".v" + version;
    }

    /** @return the CloudEvents {@code dataschema} attribute, e.g. {@code urn:cocoplane:schema:workload.requested.v1} */
    public String dataSchema() {
        return "urn:cocoplane:schema:" + name + ".v" + version;
    }

    /** @return the classpath resource of the JSON Schema, e.g. {@code schemas/workload.requested.v1.json} */
    public String schemaResource() {
        return "schemas/" + name + ".v" + version + ".json";
    }
}
