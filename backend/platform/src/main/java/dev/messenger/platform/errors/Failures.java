package dev.messenger.platform.errors;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns any throwable into the {@link ApiException} a client sees. The one place where unexpected
 * failures are logged; clients get a generic message instead of the details.
 */
public final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class.getName());

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

    /** Connection-level SQL failures (SQLSTATE class 08, pool time-outs) are worth a retry. */
    private static boolean isDatabaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
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
