package org.datasandbox.sample.sampling;

import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.datasandbox.masking.function.ValueType;

/** Maps Spark column types onto the value types masking functions understand, and back. */
public final class SparkValueTypes {
    private SparkValueTypes() {
    }

    public static Optional<ValueType> of(DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return Optional.of(ValueType.STRING);
        }
        if (type.equals(DataTypes.IntegerType)) {
            return Optional.of(ValueType.INTEGER);
        }
        if (type.equals(DataTypes.LongType)) {
            return Optional.of(ValueType.LONG);
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Optional.of(ValueType.DOUBLE);
        }
        if (type.equals(DataTypes.DateType)) {
            return Optional.of(ValueType.DATE);
        }
        if (type.equals(DataTypes.TimestampType)) {
            return Optional.of(ValueType.TIMESTAMP);
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Optional.of(ValueType.BOOLEAN);
        }
        return Optional.empty();
    }

    public static DataType toSpark(ValueType type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INTEGER -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case DATE -> DataTypes.DateType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }
}
