package org.datasandbox.api.cli;

import java.util.concurrent.Callable;
import org.datasandbox.api.v1.Catalog;
import org.datasandbox.api.v1.CatalogColumn;
import org.datasandbox.api.v1.CatalogTable;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sandbox catalog}: the tables the caller may see, with columns, roles and masks; never a value. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "List the registered tables you may see: columns, types, roles and sample masks.")
final class CatalogCommand implements Callable<Integer> {
    @Mixin
    ServerConnection server;

    @Option(names = "--as", defaultValue = "developer", description = "Your role: provider, admin, developer or auditor "
            + "(default: ${DEFAULT-VALUE}); with --data-dir it picks the demo certificate.")
    String role;

    @Override
    public Integer call() throws Exception {
        Role caller = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
        return server.run(caller, "", client -> {
            Catalog catalog = client.listCatalog();
            for (CatalogTable table : catalog.getTablesList()) {
                System.out.printf("%s  (policy v%d)%s%n", table.getName(), table.getPolicyVersion(),
                        table.getDescription().isBlank() ? "" : "  " + table.getDescription());
                for (CatalogColumn column : table.getColumnsList()) {
                    System.out.printf("  %-24s %-10s %-20s %s%n", column.getName(), column.getType(),
                            column.getRole().isBlank() ? "(no policy)" : column.getRole(), column.getMask());
                }
            }
            if (catalog.getTablesCount() == 0) {
                System.out.println("no tables you may see");
            }
            for (var scenario : catalog.getScenariosList()) {
                System.out.printf("scenario %s: %s%n", scenario.getId(), scenario.getMode().equals("dp")
                        ? String.format(java.util.Locale.ROOT, "dp mode, epsilon %.4g and delta %.4g per query, lifetime "
                                + "epsilon %.4g per table", scenario.getQueryEpsilon(), scenario.getQueryDelta(),
                                scenario.getBudgetEpsilon())
                        : "threshold mode, k = " + scenario.getK());
            }
            return 0;
        });
    }
}
