package org.datasandbox.guard.validate;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Spark's types where they differ from Calcite's defaults, so that a type the rewrite writes into the
 * SQL (a CAST around a thresholded value) never changes what Spark computes: strings are VARCHAR (no
 * padding of CASE or UNION literals) in UTF-8, the average of integers is a DOUBLE, the sum of integers a
 * BIGINT. A factory is thread-safe (Calcite interns types globally), so one serves every query of a schema.
 */
final class SparkTypeFactory extends JavaTypeFactoryImpl {
    private static final RelDataTypeSystem TYPE_SYSTEM = new RelDataTypeSystemImpl() {
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }

        @Override
        public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argument) {
            if (SqlTypeUtil.isIntType(argument) || SqlTypeUtil.isApproximateNumeric(argument)) {
                return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.DOUBLE),
                        argument.isNullable());
            }
            return super.deriveAvgAggType(factory, argument);
        }

        @Override
        public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argument) {
            if (SqlTypeUtil.isIntType(argument)) {
                return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.BIGINT),
                        argument.isNullable());
            }
            return super.deriveSumType(factory, argument);
        }
    };

    SparkTypeFactory() {
        super(TYPE_SYSTEM);
    }

    @Override
    public Charset getDefaultCharset() {
        return StandardCharsets.UTF_8; // Spark strings are UTF-8: names, districts, diagnoses
    }
}
