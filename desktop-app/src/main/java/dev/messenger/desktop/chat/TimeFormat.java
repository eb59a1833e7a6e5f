package dev.messenger.desktop.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

/** Times as a chat shows them, in the computer's time zone. */
public final class TimeFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT);
    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEE");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM);
    private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT);

    private TimeFormat() {
    }

    /** "14:05" today, "Tue" this week, a short date before that. */
    public static String shortTime(Instant instant, Clock clock) {
        ZonedDateTime when = instant.atZone(clock.getZone());
        LocalDate today = LocalDate.now(clock);
        if (when.toLocalDate().equals(today)) {
            return TIME.format(when);
        }
        if (when.toLocalDate().isAfter(today.minusDays(7))) {
            return WEEKDAY.format(when);
        }
        return SHORT_DATE.format(when);
    }

    public static String time(Instant instant, Clock clock) {
        return TIME.format(instant.atZone(clock.getZone()));
    }

    /** The day separator: "Today", "Yesterday" or the date. */
    public static String day(LocalDate day, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        if (day.equals(today)) {
            return "Today";
        }
        if (day.equals(today.minusDays(1))) {
            return "Yesterday";
        }
        return DATE.format(day);
    }

    /** A medium date, e.g. "14 Mar 2026". */
    public static String date(Instant instant, Clock clock) {
        return DATE.format(instant.atZone(clock.getZone()));
    }

    /** How long ago: "just now", "5 minutes ago", "3 hours ago", "yesterday", "on 14 Mar 2026". */
    public static String ago(Instant instant, Clock clock) {
        Duration since = Duration.between(instant, clock.instant());
        if (since.toMinutes() < 1) {
            return "just now";
        }
        if (since.toHours() < 1) {
            return count(since.toMinutes(), "minute") + " ago";
        }
        if (since.toDays() < 1) {
            return count(since.toHours(), "hour") + " ago";
        }
        if (localDay(instant, clock).equals(LocalDate.now(clock).minusDays(1))) {
            return "yesterday";
        }
        return "on " + date(instant, clock);
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    public static LocalDate localDay(Instant instant, Clock clock) {
        return instant.atZone(clock.getZone()).toLocalDate();
    }
}
