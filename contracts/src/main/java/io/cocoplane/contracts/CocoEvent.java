package io.cocoplane.contracts;

/**
 * The payload ({@code data}) of a cocoplane CloudEvent. Every event record in this package implements it.
 *
 * <p>The {@link #subject()} is the aggregate id: it becomes the CloudEvents {@code subject} attribute and the Kafka
 * record key, so that one aggregate's events stay on one partition, in order (ARCHITECTURE §3).
 */
public interface CocoEvent {

    /** @return the aggregate id; never null or empty for a valid event */
    String subject();
}
