package io.cocoplane.eventing;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells an outage of what a handler depends on (its database, a connection) from a failure of the record itself.
 * A record whose handling failed for a transient reason is retried until the outage ends, holding its partition, and
 * is never dead-lettered: the same record will succeed once PostgreSQL is back, and dead-lettering it would lose an
 * event (an audit leaf, a binding). Everything else keeps the bounded retries of {@code cocoplane.eventing.consumer}.
 */
final class TransientFailures {

    private TransientFailures() {
    }

    /**
     * @param failure what the handler, the inbox or the transaction threw (wrappers of the listener container included)
     * @return whether any exception in its cause chain is an outage: Spring's {@link TransientDataAccessException},
     *         {@link RecoverableDataAccessException}, {@link DataAccessResourceFailureException} (no connection from
     *         the pool), {@link CannotCreateTransactionException}; JDBC's {@link SQLTransientException},
     *         {@link SQLRecoverableException}, or an {@link SQLException} whose SQLState is of class {@code 08}
     *         (connection exception) or {@code 57P} (PostgreSQL: the server is shutting down or restarting)
     */
    static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
