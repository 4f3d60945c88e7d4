package org.datasandbox.core.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.dprelease.DpRelease;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.job.JobTicket;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyDirectory;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queries against CSV originals under a policy folder: opens a sandbox in a work directory,
 * registers {@code <table>.csv} for every table policy, applies the policies, then submits each query as
 * the scenario's developer and returns what would be released.
 */
public final class BatchRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    private static final long JOB_TIMEOUT_SECONDS = 600;

    private final Sandbox sandbox;
    private final String scenario;
    private final Identity developer;
    private final List<String> skippedTables;

    private BatchRunner(Sandbox sandbox, String scenario, Identity developer, List<String> skippedTables) {
        this.sandbox = sandbox;
        this.scenario = scenario;
        this.developer = developer;
        this.skippedTables = List.copyOf(skippedTables);
    }

    public static BatchRunner open(Path policyDir, Path dataDir, Optional<String> scenarioId, SandboxConfig config)
            throws IOException {
        Sandbox sandbox = Sandbox.open(config);
        sandbox.judgeEachQueryAlone(); // a batch asks independent questions; nothing of it leaves
        try {
            PolicyDirectory policies = PolicyDirectory.load(policyDir, new PolicyParser(sandbox.crypto()));
            ScenarioPolicy chosen = policies.scenario(scenarioId);
            Identity provider = person(Role.PROVIDER);
            Identity admin = person(Role.ADMIN);
            List<String> skipped = new ArrayList<>();
            for (TablePolicy table : policies.tables().values()) {
                Path csv = dataDir.resolve(table.table() + ".csv");
                if (!Files.exists(csv)) {
                    skipped.add(table.table());
                    continue;
                }
                sandbox.registerDataset(provider, table.table(), "", Files.readAllBytes(csv), declaredTypes(table));
            }
            for (PolicyDirectory.Document document : policies.documentsInApplyOrder()) {
                boolean registered = document.parsed().table().map(t -> !skipped.contains(t.table())).orElse(false);
                boolean chosenScenario = document.parsed().scenario().map(s -> s.id().equals(chosen.id())).orElse(false);
                if (registered || chosenScenario) {
                    sandbox.applyPolicy(admin, document.text());
                }
            }
            if (chosen.id().equals(PolicyDirectory.DEFAULT_SCENARIO)) {
                sandbox.applyPolicy(admin, defaultScenarioYaml(policies, skipped));
            }
            Identity developer = new Identity(chosen.developers().get(0), Role.DEVELOPER, "batch");
            return new BatchRunner(sandbox, chosen.id(), developer, skipped);
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /** Tables that have a policy but no CSV in the data folder. */
    public List<String> skippedTables() {
        return skippedTables;
    }

    /**
     * Checks and, when allowed, runs one query. Never throws: whatever fails while checking is a refusal
     * and whatever fails while running is an error of this query only, with a reference into the log,
     * so that a batch always goes on with its next query.
     */
    public BatchResult run(String id, String sql) {
        try {
            return checkAndRun(id, sql);
        } catch (Throwable e) {
            String reference = UUID.randomUUID().toString();
            LOG.warn("batch query {} failed, reference {}", id, reference, e);
            return new BatchResult(id, "REJECT", "UNSUPPORTED_CONSTRUCT",
                    "the query could not be checked (reference " + reference + ")", null, null, null);
        }
    }

    private BatchResult checkAndRun(String id, String sql) {
        JobTicket ticket;
        try {
            ticket = sandbox.submitJob(developer, scenario, sql);
        } catch (SandboxException e) {
            return new BatchResult(id, "REJECT", e.details().getOrDefault("rule", e.code().name()), e.getMessage(),
                    null, null, null);
        }
        CompletableFuture<JobEvent> end = new CompletableFuture<>();
        sandbox.watchJob(developer, ticket.jobId(), event -> {
            if (event.state().isTerminal()) {
                end.complete(event);
            }
        });
        JobEvent last;
        try {
            last = end.get(JOB_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new BatchResult(id, "ALLOW", null, "the job did not finish in time", ticket.rewrittenSql(), null, "TIMEOUT");
        }
        String note = ticket.rewrites().isEmpty() ? "allowed"
                : "allowed; rewritten by " + String.join(", ", ticket.rewrites().stream().map(Enum::name).toList());
        if (last.state() != JobState.RELEASED) {
            return new BatchResult(id, "ALLOW", null, last.message(), ticket.rewrittenSql(), null,
                    last.errorCode().isEmpty() ? ErrorCode.EXECUTION_FAILED.name() : last.errorCode());
        }
        byte[] ipc = sandbox.fetchResult(developer, ticket.jobId()).arrowIpc();
        ArrowResults.Table table = ArrowResults.decode(ipc);
        return new BatchResult(id, "ALLOW", null, note, ticket.rewrittenSql(), jsonRows(table), null, dpDescription(ipc));
    }

    /** A DP release's description from its Arrow metadata: what it spent and what each value carries. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> dpDescription(byte[] ipc) {
        String description = ArrowResults.metadata(ipc).get(DpRelease.METADATA_KEY);
        if (description == null) {
            return null;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(description, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("a DP release's description is not JSON", e);
        }
    }

    /** A sample of a table as the scenario's developer would download it, with its report. */
    public Sandbox.SampleDownload sample(String table, String kind, String format, int rows) {
        return sandbox.sample(developer, scenario, table, kind, format, rows);
    }

    private static List<Map<String, Object>> jsonRows(ArrowResults.Table table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : table.records()) {
            Map<String, Object> row = new LinkedHashMap<>();
            record.forEach((column, value) -> row.put(column, jsonValue(value)));
            rows.add(row);
        }
        return rows;
    }

    private static Object jsonValue(Object value) {
        if (value instanceof LocalDate || value instanceof java.time.temporal.Temporal) {
            return value.toString();
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        return value;
    }

    private static Map<String, ColumnType> declaredTypes(TablePolicy table) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (ColumnPolicy column : table.columns()) {
            column.type().ifPresent(t -> types.put(column.name(), t));
        }
        return types;
    }

    private static String defaultScenarioYaml(PolicyDirectory policies, List<String> skipped) {
        StringBuilder yaml = new StringBuilder("kind: scenario\nid: " + PolicyDirectory.DEFAULT_SCENARIO
                + "\npurpose: batch evaluation of every table\ndevelopers: [\"" + PolicyDirectory.DEFAULT_DEVELOPER
                + "\"]\ngrants:\n");
        policies.tables().keySet().stream().filter(t -> !skipped.contains(t))
                .forEach(t -> yaml.append("  ").append(t).append(": [\"*\"]\n"));
        return yaml.toString();
    }

    private static Identity person(Role role) {
        return new Identity(CertificateAuthority.DEMO_HOLDERS.get(role), role, "batch");
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
