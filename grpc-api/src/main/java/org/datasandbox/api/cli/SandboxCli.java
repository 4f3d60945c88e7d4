package org.datasandbox.api.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sandbox}: the entry point of the launcher script. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, version = "Data Sandbox 0.1.0",
        description = "A privacy-preserving data sandbox: data is usable but invisible.",
        subcommands = {ServerCommand.class, DemoCommand.class, GuardCommand.class, QueryCommand.class, PolicyCommand.class,
            SampleCommand.class, PreviewSampleCommand.class, AuditCommand.class, CertificateCommand.class, GenerateDemoDataCommand.class,
            DatasetCommand.class, CatalogCommand.class, JobCommand.class, DevRunCommand.class, BudgetCommand.class,
            ReviewCommand.class,
            ScenarioCommand.class,
            QualityCommand.class, ReportCommand.class})
public final class SandboxCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // gRPC and Netty log through java.util.logging: route it through the same configuration, so that
        // their messages obey the same levels as everything else.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        int code = new CommandLine(new SandboxCli()).execute(args);
        org.datasandbox.core.engine.SparkEngine.stopShared();
        System.exit(code);
    }
}
