package org.datasandbox.guard.validate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.Scenario;

/** A Calcite schema holding exactly the granted columns of the granted tables, in storage order. */
public final class ScenarioSchema {
    private final CalciteSchema root;
    private final Map<String, GuardTable> tables;

    private ScenarioSchema(CalciteSchema root, Map<String, GuardTable> tables) {
        this.root = root;
        this.tables = tables;
    }

    public static ScenarioSchema of(GuardCatalog catalog, Scenario scenario) {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        SchemaPlus plus = root.plus();
        Map<String, GuardTable> granted = new java.util.TreeMap<>();
        for (Map.Entry<String, Set<String>> grant : scenario.grants().entrySet()) {
            Optional<GuardTable> table = catalog.table(grant.getKey());
            if (table.isEmpty()) {
                continue; // a grant of a table without policy grants nothing
            }
            List<GuardColumn> columns = table.get().columns().stream()
                    .filter(c -> grant.getValue().contains(c.name().toLowerCase(Locale.ROOT)))
                    .toList();
            String name = table.get().name().toLowerCase(Locale.ROOT);
            plus.add(name, new GrantedTable(columns));
            granted.put(name, table.get());
        }
        return new ScenarioSchema(root, granted);
    }

    public CalciteSchema root() {
        return root;
    }

    /** The full catalog table behind a granted table name. */
    public Optional<GuardTable> table(String name) {
        return Optional.ofNullable(tables.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A table whose row type is its granted columns. */
    private static final class GrantedTable extends AbstractTable {
        private final List<GuardColumn> columns;
        // Validation asks for the row type at every reference to the table: built once per type factory.
        private RelDataTypeFactory builtBy;
        private RelDataType rowType;

        GrantedTable(List<GuardColumn> columns) {
            this.columns = columns;
        }

        @Override
        public synchronized RelDataType getRowType(RelDataTypeFactory typeFactory) {
            if (typeFactory != builtBy) {
                rowType = buildRowType(typeFactory);
                builtBy = typeFactory;
            }
            return rowType;
        }

        private RelDataType buildRowType(RelDataTypeFactory typeFactory) {
            RelDataTypeFactory.Builder builder = typeFactory.builder();
            for (GuardColumn column : columns) {
                RelDataType type = typeFactory.createTypeWithNullability(
                        typeFactory.createSqlType(sqlType(column.type())), true);
                builder.add(column.name().toLowerCase(Locale.ROOT), type);
            }
            return builder.build();
        }

        private static SqlTypeName sqlType(ColumnType type) {
            return switch (type) {
                case STRING -> SqlTypeName.VARCHAR;
                case INTEGER -> SqlTypeName.INTEGER;
                case BIGINT -> SqlTypeName.BIGINT;
                case DOUBLE -> SqlTypeName.DOUBLE;
                case DATE -> SqlTypeName.DATE;
                case TIMESTAMP -> SqlTypeName.TIMESTAMP;
                case BOOLEAN -> SqlTypeName.BOOLEAN;
            };
        }
    }
}
