package org.datasandbox.api.cli;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.SampleInfo;
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

    @Option(names = "--scenario", defaultValue = "", description = "Your scenario (needed when several grant the table).")
    String scenario;

    @Mixin
    SampleOptions sample;

    @Option(names = "--preview", description = "Synthetic only: take no sample and spend no budget; write the estimate made "
            + "before a fit (expected error per column, warnings), the planned epsilon and delta and whether the budget "
            + "can pay to FILE.report.json.")
    boolean preview;

    @Override
    public Integer call() throws Exception {
        try (SandboxClient developer = server.connect(Role.DEVELOPER)) {
            SandboxClient.Sample download = developer.sample(SampleRequest.newBuilder().setTable(sample.table)
                    .setScenario(scenario).setKind(sample.kind).setFormat(sample.format).setMaxRows(sample.rows)
                    .setPreview(preview).build());
            SampleInfo info = download.info();
            if (preview) {
                Path report = sample.writeReport(info.getReportJson().getBytes(StandardCharsets.UTF_8));
                com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.getReportJson());
                System.out.printf("preview of a synthetic sample of %s under scenario %s: epsilon %s, delta %s, model %s, "
                        + "budget %s; mean expected distribution error %s; nothing spent; preview in %s%n", sample.table,
                        info.getScenario(), json.path("epsilon").asText(), json.path("delta").asText(),
                        json.path("modelFitted").asBoolean() ? "already fitted" : "not yet fitted",
                        json.path("affordable").asBoolean() ? "can pay" : "cannot pay",
                        json.at("/estimateBeforeFit/meanExpectedError").asText(), report);
                json.at("/estimateBeforeFit/warnings").forEach(w -> System.err.println("warning: " + w.asText()));
                return 0;
            }
            Path report = sample.write(download.data(), info.getReportJson().getBytes(StandardCharsets.UTF_8));
            System.out.printf("%s: %,d rows of a %s sample (%s) under scenario %s; report in %s%n", sample.out,
                    info.getRows(), info.getKind(), info.getFormat(), info.getScenario(), report);
            // a synthetic sample's warnings (small table, lost categories) go to the caller, not only to the server's log
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.getReportJson());
            java.util.Set<String> warnings = new java.util.LinkedHashSet<>();
            json.at("/estimateBeforeFit/warnings").forEach(w -> warnings.add(w.asText()));
            json.path("warnings").forEach(w -> warnings.add(w.asText()));
            warnings.forEach(w -> System.err.println("warning: " + w));
            return 0;
        } catch (StatusRuntimeException e) {
            System.err.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        }
    }
}
