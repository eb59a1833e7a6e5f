package dev.messenger.platform.db;

import io.helidon.dbclient.DbRow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Typed column reads that do not depend on which Java type the driver picked for a column.
 * They use {@code get(Class)}, which returns null for SQL NULL; helidon-dbclient's {@code get()}
 * throws on NULL.
 */
public final class Rows {
    private Rows() {
    }

    public static UUID uuid(DbRow row, String column) {
        return row.column(column).get(UUID.class);
    }

    /** A nullable uuid column. */
    public static UUID nullableUuid(DbRow row, String column) {
        return row.column(column).get(UUID.class);
    }

    public static long longValue(DbRow row, String column) {
        return row.column(column).get(Number.class).longValue();
    }

    public static String string(DbRow row, String column) {
        return row.column(column).get(String.class);
    }

    public static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        return switch (value) {
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime dateTime -> dateTime.toInstant();
            case Instant instant -> instant;
            default -> throw new IllegalStateException("Column " + column + " is not a timestamp: " + value.getClass());
        };
    }

    /** A nullable text column. */
    public static String nullableString(DbRow row, String column) {
        return row.column(column).get(String.class);
    }

    public static byte[] bytes(DbRow row, String column) {
        return row.column(column).get(byte[].class);
    }

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }
}
