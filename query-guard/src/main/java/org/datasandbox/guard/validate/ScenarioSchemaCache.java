package org.datasandbox.guard.validate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.Scenario;

/**
 * Scenario schemas kept between queries: building one (its Calcite schema, catalog reader and the row type
 * of every table) is a fixed cost of each check otherwise. The key is everything a schema is built from,
 * read from the catalog at every query: the tables the catalog has now for the scenario's grants, and the
 * grants. A dataset or policy that changes gives another key, so a cached schema is never stale; nothing
 * about the query text is part of it. Thread-safe; the least recently used schema goes past {@link #CAPACITY}.
 */
public final class ScenarioSchemaCache {
    static final int CAPACITY = 32;

    private final Map<Key, ScenarioSchema> schemas = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, ScenarioSchema> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * The grants and the tables, compared in full. The hash leaves the tables' columns out: the catalog
     * builds its tables anew for every query, and hashing every column of every table cost as much as
     * the schema saved; a hit compares them all anyway.
     */
    private record Key(Map<String, GuardTable> tables, Map<String, Set<String>> grants, int hash) {
        Key(Map<String, GuardTable> tables, Map<String, Set<String>> grants) {
            this(tables, grants, 31 * grants.hashCode() + tables.keySet().hashCode());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && grants.equals(key.grants)
                    && tables.equals(key.tables);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The schema of the scenario over the catalog's current tables. */
    public ScenarioSchema schema(GuardCatalog catalog, Scenario scenario) {
        Map<String, GuardTable> granted = ScenarioSchema.granted(catalog, scenario);
        Key key = new Key(granted, scenario.grants());
        synchronized (schemas) {
            ScenarioSchema known = schemas.get(key);
            if (known != null) {
                return known;
            }
        }
        ScenarioSchema built = ScenarioSchema.build(granted, scenario);
        synchronized (schemas) {
            ScenarioSchema raced = schemas.putIfAbsent(key, built);
            return raced != null ? raced : built;
        }
    }

    /** How many schemas are kept: for tests. */
    int size() {
        synchronized (schemas) {
            return schemas.size();
        }
    }
}
