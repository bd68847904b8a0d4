package io.cocoplane.eventing;

import io.cocoplane.eventing.test.TestInfra;

/**
 * The consumer tests of {@link ConsumerTest} on Testcontainers Kafka and PostgreSQL. Skipped, with the reason, where
 * no Docker engine answers; run where one does.
 */
@TestInfra(schema = "eventing_consumer_tc", backend = TestInfra.Backend.TESTCONTAINERS)
class ConsumerOnTestcontainersTest extends ConsumerTest {
}
