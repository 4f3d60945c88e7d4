package org.datasandbox.core.dprelease;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;

/**
 * The accounts a DP query is charged to: the tables it reads, then every table linked to them by a declared join
 * of privacy unit to privacy unit (a count of visits is about the residents too), so that each account holds
 * everything released about its people. The read tables come first, in name order.
 */
final class UnitLinks {
    private UnitLinks() {
    }

    static List<String> accounts(GuardCatalog catalog, Collection<String> read) {
        Set<String> tables = new LinkedHashSet<>(new TreeSet<>(read));
        List<JoinKey> unitJoins = new ArrayList<>();
        for (JoinKey join : catalog.joinKeys()) {
            if (isUnit(catalog, join.table(), join.column()) && isUnit(catalog, join.otherTable(), join.otherColumn())) {
                unitJoins.add(join);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JoinKey join : unitJoins) {
                if (tables.contains(join.table())) {
                    grew |= tables.add(join.otherTable());
                }
                if (tables.contains(join.otherTable())) {
                    grew |= tables.add(join.table());
                }
            }
        }
        return List.copyOf(tables);
    }

    private static boolean isUnit(GuardCatalog catalog, String table, String column) {
        Optional<GuardTable> found = catalog.table(table);
        return found.isPresent() && found.get().columns().stream()
                .anyMatch(c -> c.name().equalsIgnoreCase(column) && c.role() == ColumnRole.PRIVACY_UNIT);
    }
}
