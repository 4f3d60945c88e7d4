package org.datasandbox.masking.function;

import java.time.LocalDate;
import org.datasandbox.masking.MaskingException;

/** Generalizes a date to the first day of its year or month; the column stays a date. */
public record DateTruncate(Unit unit) implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    public enum Unit {
        YEAR,
        MONTH
    }

    public DateTruncate {
        if (unit == null) {
            throw new MaskingException("date_truncate: unit must be year or month");
        }
    }

    @Override
    public String name() {
        return "date_truncate";
    }

    @Override
    public ValueType outputType(ValueType input) {
        if (input != ValueType.DATE) {
            throw new MaskingException("date_truncate applies to date columns, not " + input);
        }
        return ValueType.DATE;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        LocalDate date = (LocalDate) value;
        return unit == Unit.YEAR ? date.withDayOfYear(1) : date.withDayOfMonth(1);
    }
}
