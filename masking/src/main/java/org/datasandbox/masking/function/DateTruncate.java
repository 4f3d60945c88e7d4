package org.datasandbox.masking.function;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.datasandbox.masking.MaskingException;

/**
 * Generalizes a date to the first day of its year or month, or a timestamp to the start of its year,
 * month, day or hour; the column keeps its type. Timestamps are truncated in UTC, whatever the time
 * zone of the JVM or the Spark session.
 */
public record DateTruncate(Unit unit) implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    public enum Unit {
        YEAR,
        MONTH,
        /** Timestamps only: a date is already a day. */
        DAY,
        /** Timestamps only. */
        HOUR
    }

    public DateTruncate {
        if (unit == null) {
            throw new MaskingException("date_truncate: unit must be year, month, day or hour");
        }
    }

    @Override
    public String name() {
        return "date_truncate";
    }

    @Override
    public ValueType outputType(ValueType input) {
        if (input == ValueType.DATE && (unit == Unit.DAY || unit == Unit.HOUR)) {
            throw new MaskingException("date_truncate to a " + unit.name().toLowerCase(Locale.ROOT)
                    + " applies to timestamp columns; truncate a date to its year or month");
        }
        if (input != ValueType.DATE && input != ValueType.TIMESTAMP) {
            throw new MaskingException("date_truncate applies to date and timestamp columns, not " + input);
        }
        return input;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate date) {
            return truncate(date);
        }
        if (value instanceof Instant instant) {
            return truncate(instant);
        }
        if (value instanceof Timestamp timestamp) {
            return Timestamp.from(truncate(timestamp.toInstant()));
        }
        throw new MaskingException("date_truncate: the value is neither a date nor a timestamp");
    }

    private LocalDate truncate(LocalDate date) {
        return switch (unit) {
            case YEAR -> date.withDayOfYear(1);
            case MONTH -> date.withDayOfMonth(1);
            case DAY, HOUR -> throw new MaskingException("date_truncate to a day or an hour applies to timestamps");
        };
    }

    private Instant truncate(Instant instant) {
        return switch (unit) {
            case YEAR, MONTH -> truncate(instant.atOffset(ZoneOffset.UTC).toLocalDate()).atStartOfDay(ZoneOffset.UTC).toInstant();
            case DAY -> instant.truncatedTo(ChronoUnit.DAYS);
            case HOUR -> instant.truncatedTo(ChronoUnit.HOURS);
        };
    }
}
