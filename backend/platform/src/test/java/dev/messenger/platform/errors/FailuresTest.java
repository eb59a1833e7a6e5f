package dev.messenger.platform.errors;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailuresTest {
    /** What a client should retry is UNAVAILABLE; the SQL state says which failures those are. */
    @Test
    void transientDatabaseFailuresAreUnavailable() {
        for (String state : new String[]{"08006", "08001", "57P01", "57P02", "57P03", "53300", "40001", "40P01"}) {
            RuntimeException failure = new IllegalStateException("wrapped", new SQLException("from PostgreSQL", state));
            assertEquals(ErrorKind.UNAVAILABLE, Failures.toApiException(failure, "test").kind(), state);
        }
        assertEquals(ErrorKind.UNAVAILABLE, Failures.toApiException(
                new SQLTransientConnectionException("pool: connection is not available, request timed out"), "test").kind());
    }

    @Test
    void otherFailuresAreInternalAndSayNothingMore() {
        for (String state : new String[]{"23505", "42P01", "22021", null}) {
            ApiException mapped = Failures.toApiException(new SQLException("secret detail", state), "test");
            assertEquals(ErrorKind.INTERNAL, mapped.kind(), String.valueOf(state));
            assertEquals("Internal error", mapped.getMessage());
        }
        ApiException known = ApiException.invalid("a reason");
        assertEquals(known, Failures.toApiException(known, "test"));
    }
}
