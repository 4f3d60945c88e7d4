package org.datasandbox.api.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.demo.TextTable;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sandbox dev-run}: a query on the scenario's masked samples, through the same guard, answered at once. */
@Command(name = "dev-run", mixinStandardHelpOptions = true,
        description = "Try a query on the masked samples of your scenario, through the same guard, and see its result.")
final class DevRunCommand implements Callable<Integer> {
    @Mixin
    ServerConnection server;

    @Option(names = "--scenario", required = true, description = "The scenario the query runs under.")
    String scenario;

    @ArgGroup(multiplicity = "1")
    JobCommand.Query query;

    @Option(names = "--out", description = "Write the result to this file instead of printing it.")
    Path out;

    @Option(names = "--format", defaultValue = "csv", description = "With --out: csv or arrow (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        return server.run(Role.DEVELOPER, "", developer -> {
            SandboxClient.Result result = developer.devRun(scenario, query.text());
            if (out != null) {
                ResultFiles.write(result, format, out);
                System.out.printf("%s: %d rows from the samples%n", out, result.table().rows().size());
            } else {
                System.out.print(TextTable.render(result.table(), 50, ""));
            }
            return 0;
        });
    }
}
