package dev.messenger.platform.errors;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns any throwable into the {@link ApiException} a client sees. The one place where unexpected
 * failures are logged; clients get a generic message instead of the details.
 */
public final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class.getName());
    private static final Set<String> RETRYABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

    private Failures() {
    }

    public static ApiException toApiException(Throwable failure, String operation) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (isDatabaseUnreachable(failure)) {
            LOG.log(Level.WARNING, "Database unavailable during " + operation + ": " + failure);
            return ApiException.unavailable("The database is unavailable; try again shortly");
        }
        LOG.log(Level.SEVERE, "Unexpected failure during " + operation, failure);
        return new ApiException(ErrorKind.INTERNAL, "Internal error");
    }

    /**
     * SQL failures worth a retry: the connection is gone or was refused (SQLSTATE class 08), the
     * server is shutting down or starting (57P01-57P03: an administrator's restart, a crash
     * recovery), too many connections (53300), a serialization failure or deadlock (40001, 40P01),
     * and time-outs waiting for a pool connection.
     */
    private static boolean isDatabaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && isRetryable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryable(String sqlState) {
        return sqlState.startsWith("08") || RETRYABLE_STATES.contains(sqlState);
    }

    /** The SQLSTATE of the first SQL failure in the chain, or empty. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }
}
