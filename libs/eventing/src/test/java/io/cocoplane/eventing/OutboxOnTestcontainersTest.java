package io.cocoplane.eventing;

import io.cocoplane.eventing.test.TestInfra;

/**
 * The outbox tests of {@link OutboxTest} on Testcontainers Kafka and PostgreSQL. Skipped, with the reason, where no
 * Docker engine answers (as on the build machine); run where one does.
 */
@TestInfra(schema = "eventing_outbox_tc", backend = TestInfra.Backend.TESTCONTAINERS)
class OutboxOnTestcontainersTest extends OutboxTest {
}
