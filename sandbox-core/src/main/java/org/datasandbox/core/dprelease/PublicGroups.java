package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The groups of a query whose keys all have public domains: every combination of the policy's public values,
 * in the policy's order, each converted to the key column's type so that it compares equal to the value Spark
 * returns. None of this depends on the data.
 */
final class PublicGroups {
    private PublicGroups() {
    }

    /**
     * Every combination of the domains, in order (the first key varies slowest).
     *
     * @throws IllegalArgumentException when there are more than {@code max} combinations
     */
    static List<List<Object>> combinations(List<List<String>> domains, List<DataType> types, long max) {
        long count = 1;
        for (List<String> domain : domains) {
            count = Math.multiplyExact(count, domain.size());
            if (count > max) {
                throw new IllegalArgumentException("more than " + max + " combinations");
            }
        }
        List<List<Object>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (int k = 0; k < domains.size(); k++) {
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : combinations) {
                for (String value : domains.get(k)) {
                    List<Object> extended = new ArrayList<>(prefix);
                    extended.add(typed(value, types.get(k)));
                    next.add(extended);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /** A public value as the key column's type; the message names the type, not the value. */
    static Object typed(String value, DataType type) {
        try {
            if (type.equals(DataTypes.StringType)) {
                return value;
            } else if (type.equals(DataTypes.IntegerType)) {
                return Integer.parseInt(value.trim());
            } else if (type.equals(DataTypes.LongType)) {
                return Long.parseLong(value.trim());
            } else if (type.equals(DataTypes.ShortType)) {
                return Short.parseShort(value.trim());
            } else if (type.equals(DataTypes.ByteType)) {
                return Byte.parseByte(value.trim());
            } else if (type.equals(DataTypes.DoubleType)) {
                return Double.parseDouble(value.trim());
            } else if (type.equals(DataTypes.BooleanType)) {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new NumberFormatException();
                }
                return Boolean.parseBoolean(v);
            } else if (type.equals(DataTypes.DateType)) {
                return java.sql.Date.valueOf(value.trim());
            } else if (type instanceof DecimalType decimal) {
                return new BigDecimal(value.trim()).setScale(decimal.scale(), RoundingMode.UNNECESSARY);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a public value does not read as " + type.simpleString());
        }
        throw new IllegalArgumentException("group keys of type " + type.simpleString() + " cannot have a public domain");
    }
}
