package org.datasandbox.api.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The policy folder a command works from without a server, and the scenario in it. */
final class PolicyFolderOptions {
    @Option(names = "--policy", required = true, description = "Folder of table policies and scenarios (YAML).")
    Path policyDir;

    @Option(names = "--scenario", description = "Scenario id (default: the folder's only one, or all tables).")
    String scenario;

    Optional<String> scenario() {
        return Optional.ofNullable(scenario);
    }
}
