package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.junit.jupiter.api.Test;

/** A query is charged to every table whose people it describes: linked by unit-to-unit joins, either way. */
class UnitLinksTest {
    private static final Map<String, GuardTable> TABLES = Map.of(
            "residents", table("residents", "person_id"),
            "visits", table("visits", "person_id"),
            "labs", table("labs", "person_id"),
            "hospitals", table("hospitals", "hospital_id"));

    private static GuardTable table(String name, String unit) {
        return new GuardTable(name, List.of(GuardColumn.of(unit, ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                GuardColumn.of("hospital", ColumnType.STRING, ColumnRole.DIMENSION)));
    }

    private static final GuardCatalog CATALOG = new GuardCatalog() {
        @Override
        public Optional<GuardTable> table(String name) {
            return Optional.ofNullable(TABLES.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of(new JoinKey("visits", "person_id", "residents", "person_id"),
                    new JoinKey("labs", "person_id", "visits", "person_id"),
                    // a join on a dimension links rows, not people
                    new JoinKey("visits", "hospital", "hospitals", "hospital"));
        }
    };

    @Test
    void accounts_readTableFirstThenEveryTableLinkedThroughUnits() {
        assertThat(UnitLinks.accounts(CATALOG, List.of("residents"))).containsExactly("residents", "visits", "labs");
        assertThat(UnitLinks.accounts(CATALOG, List.of("labs"))).containsExactly("labs", "visits", "residents");
        assertThat(UnitLinks.accounts(CATALOG, List.of("hospitals"))).containsExactly("hospitals");
    }
}
