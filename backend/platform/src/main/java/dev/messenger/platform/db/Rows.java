package dev.messenger.platform.db;

import io.helidon.dbclient.DbRow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Typed column reads that do not depend on which Java type the driver picked for a column. */
public final class Rows {
    private Rows() {
    }

    public static UUID uuid(DbRow row, String column) {
        return (UUID) row.column(column).get();
    }

    public static long longValue(DbRow row, String column) {
        return ((Number) row.column(column).get()).longValue();
    }

    public static String string(DbRow row, String column) {
        return (String) row.column(column).get();
    }

    public static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get();
        return switch (value) {
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime dateTime -> dateTime.toInstant();
            case Instant instant -> instant;
            default -> throw new IllegalStateException("Column " + column + " is not a timestamp: " + value.getClass());
        };
    }

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }
}
