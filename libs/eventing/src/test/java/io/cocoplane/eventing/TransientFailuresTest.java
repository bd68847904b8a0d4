package io.cocoplane.eventing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures hold a record for retry (an outage) and which keep the bounded retries and the dead-letter topic. */
class TransientFailuresTest {

    @Test
    void databaseOutagesAreTransientEvenWhenWrapped() {
        assertThat(TransientFailures.isTransient(new ListenerExecutionFailedException("listener failed",
                new CannotGetJdbcConnectionException("no connection",
                        new SQLTransientConnectionException("pool timed out"))))).isTrue();
        assertThat(TransientFailures.isTransient(new CannotCreateTransactionException("no tx"))).isTrue();
        assertThat(TransientFailures.isTransient(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("connection refused", "08001"))).isTrue();
    }

    @Test
    void recordFaultsAreNotTransient() {
        assertThat(TransientFailures.isTransient(new IllegalStateException("handler refuses"))).isFalse();
        assertThat(TransientFailures.isTransient(new PoisonRecordException("not a CloudEvent"))).isFalse();
        assertThat(TransientFailures.isTransient(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(TransientFailures.isTransient(new SQLException("syntax error", "42601"))).isFalse();
    }
}
