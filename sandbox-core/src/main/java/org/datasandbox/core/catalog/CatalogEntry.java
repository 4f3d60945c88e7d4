package org.datasandbox.core.catalog;

import java.util.List;

/**
 * A table as developers see it in the catalog: schema and roles, the policy version in force, never a
 * value or a row count.
 */
public record CatalogEntry(String table, String description, int policyVersion, List<Column> columns) {

    /** One column: its type, its role and its classification ("" when the table has no policy yet). */
    public record Column(String name, String type, String role, String classification, String mask) {
    }

    public CatalogEntry {
        columns = List.copyOf(columns);
    }
}
