package org.datasandbox.api.cli;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sandbox sample}: a developer downloads a masked or synthetic sample and its report. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Download a sample of a granted table from a running server (developer); its report goes next to it.")
final class SampleCommand implements Callable<Integer> {
    @Mixin
    ServerConnection server;

    @Option(names = "--table", required = true, description = "A table your scenario grants.")
    String table;

    @Option(names = "--scenario", defaultValue = "", description = "Your scenario (needed when several grant the table).")
    String scenario;

    @Option(names = "--kind", defaultValue = "masked", description = "masked or synthetic (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--format", defaultValue = "csv", description = "arrow, parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--rows", defaultValue = "1000", description = "At most this many rows, up to 10,000 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--out", required = true, description = "File to write; the report goes to FILE.report.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (SandboxClient developer = server.connect(Role.DEVELOPER)) {
            SandboxClient.Sample sample = developer.sample(SampleRequest.newBuilder().setTable(table).setScenario(scenario)
                    .setKind(kind).setFormat(format).setMaxRows(rows).build());
            Files.write(out, sample.data());
            Path report = out.resolveSibling(out.getFileName() + ".report.json");
            Files.writeString(report, sample.info().getReportJson(), StandardCharsets.UTF_8);
            System.out.printf("%s: %,d rows of a %s sample (%s) under scenario %s; report in %s%n", out,
                    sample.info().getRows(), sample.info().getKind(), sample.info().getFormat(), sample.info().getScenario(), report);
            return 0;
        } catch (StatusRuntimeException e) {
            System.err.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        }
    }
}
