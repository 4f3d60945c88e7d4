package org.datasandbox.guard.validate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.Scenario;

/**
 * A Calcite schema holding exactly the granted columns of the granted tables, in storage order, with the
 * type factory and catalog reader that validation uses. Immutable once built and safe to share between
 * threads, so that one schema serves every query of a scenario (see {@link ScenarioSchemaCache}).
 */
public final class ScenarioSchema {
    private final CalciteSchema root;
    private final Map<String, GuardTable> tables;
    private final JavaTypeFactory typeFactory;
    private final CalciteCatalogReader catalogReader;
    private final RexBuilder rexBuilder;

    private ScenarioSchema(CalciteSchema root, Map<String, GuardTable> tables) {
        this.root = root;
        this.tables = tables;
        this.typeFactory = new SparkTypeFactory();
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        this.catalogReader = new CalciteCatalogReader(root, List.of(), typeFactory,
                new CalciteConnectionConfigImpl(properties));
        this.rexBuilder = new RexBuilder(typeFactory);
    }

    public static ScenarioSchema of(GuardCatalog catalog, Scenario scenario) {
        return build(granted(catalog, scenario), scenario);
    }

    /** The catalog's current table behind every grant of the scenario that names one, by lower-case name. */
    static Map<String, GuardTable> granted(GuardCatalog catalog, Scenario scenario) {
        Map<String, GuardTable> granted = new java.util.TreeMap<>();
        for (String name : scenario.grants().keySet()) {
            Optional<GuardTable> table = catalog.table(name);
            if (table.isEmpty()) {
                continue; // a grant of a table without policy grants nothing
            }
            granted.put(table.get().name().toLowerCase(Locale.ROOT), table.get());
        }
        return granted;
    }

    /** The schema of these tables, as the catalog gave them for the scenario's grants. */
    static ScenarioSchema build(Map<String, GuardTable> granted, Scenario scenario) {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        SchemaPlus plus = root.plus();
        for (Map.Entry<String, Set<String>> grant : scenario.grants().entrySet()) {
            Optional<GuardTable> table = Optional.ofNullable(granted.get(grant.getKey().toLowerCase(Locale.ROOT)));
            if (table.isEmpty()) {
                continue;
            }
            List<GuardColumn> columns = table.get().columns().stream()
                    .filter(c -> grant.getValue().contains(c.name().toLowerCase(Locale.ROOT)))
                    .toList();
            plus.add(table.get().name().toLowerCase(Locale.ROOT), new GrantedTable(columns));
        }
        return new ScenarioSchema(root, Map.copyOf(granted));
    }

    /** The type factory of every plan over this schema. */
    public JavaTypeFactory typeFactory() {
        return typeFactory;
    }

    /** Builds expressions of every plan over this schema (a RexBuilder holds no state of a query). */
    public RexBuilder rexBuilder() {
        return rexBuilder;
    }

    /** Resolves the schema's tables for the validator and the plan converter. */
    public CalciteCatalogReader catalogReader() {
        return catalogReader;
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
        // Validation asks for the row type at every reference to the table: built once per type factory,
        // and the schema's factory serves every query.
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
