package org.datasandbox.core.engine;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.guard.catalog.ColumnType;

/** The sandbox's column types as Spark types. */
public final class SparkTypes {
    private SparkTypes() {
    }

    public static DataType of(ColumnType type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INTEGER -> DataTypes.IntegerType;
            case BIGINT -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case DATE -> DataTypes.DateType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }

    public static StructType schema(List<DatasetColumn> columns) {
        return DataTypes.createStructType(columns.stream()
                .map(c -> DataTypes.createStructField(c.name(), of(c.type()), true))
                .toArray(StructField[]::new));
    }
}
