package org.datasandbox.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

class ScratchProbeTest {
    @Test
    void probe() throws Exception {
        QueryGuard guard = new QueryGuard(new ReferenceCatalog());
        for (String sql : Files.readAllLines(Path.of("/tmp/gr-probe.sql"))) {
            if (sql.isBlank()) continue;
            var sc = ReferenceCatalog.everything();
            if (sql.startsWith("M:")) { sql = sql.substring(2); sc = new org.datasandbox.guard.catalog.Scenario(sc.id(), sc.grants(), sc.outputMode(), sc.minGroupSize(), org.datasandbox.guard.catalog.Scenario.SmallGroups.MERGE); }
            Decision d = guard.check(sql, sc);
            System.out.println("Q: " + sql);
            if (System.getProperty("plans") != null && d.isAllowed()) System.out.println(guard.explain(sql, ReferenceCatalog.everything()).plan());
            System.out.println("   -> " + (d.isAllowed() ? "ALLOW " + d.rewrittenSql().orElse("") : d.firstViolation().orElseThrow()));
        }
    }
}
