package org.datasandbox.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.datasandbox.core.budget.FileAnswerCache;
import org.datasandbox.core.budget.FileBudgetStore;
import org.datasandbox.core.dprelease.CostEstimate;
import org.datasandbox.core.dprelease.DpReleases;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.core.budget.ScenarioBudgets;
import org.datasandbox.core.catalog.CatalogEntry;
import org.datasandbox.core.catalog.CsvImport;
import org.datasandbox.core.catalog.ImportedTable;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.catalog.ParquetImport;
import org.datasandbox.core.catalog.UploadFormat;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.Access;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.GuardGate;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobManager;
import org.datasandbox.core.job.JobTicket;
import org.datasandbox.core.job.ReleasedResult;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerVerification;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.datasandbox.core.ledger.RefusedCalls;
import org.datasandbox.core.policy.PolicyDrafts;
import org.datasandbox.core.policy.PolicyException;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.PolicyReceipt;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.SandboxGuardCatalog;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.core.sample.SampleFormat;
import org.datasandbox.core.sample.SampleHints;
import org.datasandbox.core.sample.SampleKind;
import org.datasandbox.core.sample.SampleDownloads;
import org.datasandbox.core.sample.SampleService;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.core.storage.OriginalTables;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * One sandbox over one data directory: the operations of every role, each checked against the caller's
 * role and recorded in the evidence ledger. The gRPC services are thin adapters over this class.
 */
public final class Sandbox implements AutoCloseable {
    private final SandboxConfig config;
    private final CryptoProfile crypto;
    private final CertificateAuthority authority;
    private final EvidenceLedger ledger;
    private final DatasetCatalog datasets;
    private final PolicyStore policies;
    private final SandboxGuardCatalog guardCatalog;
    private final SparkEngine engine;
    private final EncryptedParquet storage;
    private final OriginalTables originals;
    private final SampleService samples;
    private final JobManager jobs;
    private final RefusedCalls unauthenticated;
    private final ScenarioBudgets budgets;
    private final DpReleases dpReleases;

    private Sandbox(SandboxConfig config, CryptoProfile crypto, CertificateAuthority authority, EvidenceLedger ledger,
                    DatasetCatalog datasets, PolicyStore policies, SparkEngine engine, KeyVault vault,
                    ScenarioBudgets budgets) throws IOException {
        this.config = config;
        this.budgets = budgets;
        this.crypto = crypto;
        this.authority = authority;
        this.ledger = ledger;
        this.datasets = datasets;
        this.policies = policies;
        this.engine = engine;
        this.storage = new EncryptedParquet(vault);
        this.originals = new OriginalTables(engine.originals(), storage, config.dataDir().resolve("data").resolve("originals"));
        this.guardCatalog = new SandboxGuardCatalog(datasets, policies);
        this.samples = new SampleService(engine, storage, vault, datasets, policies, crypto, ledger,
                config.dataDir().resolve("data").resolve("samples"), config.sampleRows(),
                (scenario, table) -> policies.scenario(scenario)
                        .map(s -> guardCatalog.scenario(s).grants().getOrDefault(table, Set.of())).orElse(Set.of()),
                budgets, config.limits());
        RandomSource noiseSource = RandomSource.secure();
        this.dpReleases = new DpReleases(policies, guardCatalog, budgets,
                FileAnswerCache.open(config.dataDir().resolve("answers")), crypto, Noise.laplace(noiseSource), noiseSource,
                config.maxResultRows());
        this.jobs = new JobManager(engine, new GuardGate(guardCatalog, policies, ledger, crypto), ledger, crypto, config,
                new SampleHints(policies, engine, config.sampleRows()), dpReleases);
        this.unauthenticated = new RefusedCalls(ledger, config.limits().refusedCallsPeriod());
    }

    /** Opens (or on first start creates) the sandbox of a data directory. */
    public static Sandbox open(SandboxConfig config) throws IOException {
        Path dir = config.dataDir();
        Files.createDirectories(dir);
        CryptoProfile crypto = CryptoProfile.of(config.cryptoProfile());
        // a CA from an earlier start means the ledger recorded that start: an empty ledger is then a deletion
        boolean initialisedBefore = Files.exists(PkiLayout.under(dir).caCertificate());
        CertificateAuthority authority = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        EvidenceLedger ledger = EvidenceLedger.open(dir.resolve("ledger"), crypto, initialisedBefore);
        org.datasandbox.core.ledger.RevocationRecorder.start(ledger, authority);
        KeyVault vault = KeyVault.open(dir.resolve("keys"), crypto);
        DatasetCatalog datasets = DatasetCatalog.open(dir.resolve("catalog").resolve("datasets"));
        PolicyStore policies = PolicyStore.open(dir.resolve("catalog").resolve("policies"), new PolicyParser(crypto));
        SparkEngine engine = SparkEngine.start(config);
        ScenarioBudgets budgets = new ScenarioBudgets(FileBudgetStore.open(dir.resolve("budget"), Clock.systemUTC()), ledger);
        policies.scenarios().forEach(budgets::define);
        Sandbox sandbox = new Sandbox(config, crypto, authority, ledger, datasets, policies, engine, vault, budgets);
        for (DatasetDescriptor dataset : datasets.list()) {
            sandbox.originals.expose(dataset.name());
        }
        ledger.append(Identity.system(), "sandbox.opened", "sandbox", Map.of(
                "cryptoProfile", crypto.kind().name(), "sparkMaster", config.sparkMaster(),
                "datasets", Integer.toString(datasets.list().size())));
        return sandbox;
    }

    public SandboxConfig config() {
        return config;
    }

    public CertificateAuthority authority() {
        return authority;
    }

    public EvidenceLedger ledger() {
        return ledger;
    }

    public CryptoProfile crypto() {
        return crypto;
    }

    // ---- provider ---------------------------------------------------------------------------------

    /** Registers a CSV as an original table, as {@link #registerDataset(Identity, String, String, byte[], UploadFormat, Map)}. */
    public DatasetDescriptor registerDataset(Identity provider, String name, String description, byte[] csv,
                                             Map<String, ColumnType> declaredTypes) {
        return registerDataset(provider, name, description, csv, UploadFormat.CSV, declaredTypes);
    }

    /**
     * Registers a CSV or Parquet file as an original table: parsed strictly, stored as encrypted Parquet,
     * recorded with the hash of the uploaded bytes. Nothing is kept if any step fails.
     */
    public DatasetDescriptor registerDataset(Identity provider, String name, String description, byte[] file,
                                             UploadFormat format, Map<String, ColumnType> declaredTypes) {
        Access.require(provider, Role.PROVIDER);
        if (name == null || !DatasetDescriptor.NAME.matcher(name).matches()) {
            throw SandboxException.invalid("A dataset name is a lower-case identifier of at most 63 characters");
        }
        if (file.length > config.maxUploadBytes()) {
            throw new SandboxException(ErrorCode.TOO_LARGE, "The upload exceeds " + config.maxUploadBytes() + " bytes");
        }
        synchronized (datasets) {
            if (datasets.contains(name)) {
                throw new SandboxException(ErrorCode.ALREADY_EXISTS, "Dataset '" + name + "' is already registered");
            }
            ImportedTable table = switch (format) {
                case CSV -> CsvImport.parse(file, declaredTypes);
                case PARQUET -> ParquetImport.parse(file, declaredTypes, config.maxUploadBytes());
            };
            DatasetDescriptor descriptor = new DatasetDescriptor(name, description, table.columns(), table.rows().size(),
                    HexFormat.of().formatHex(crypto.hash(file)), provider.name(), java.time.Instant.now().toString());
            try {
                originals.store(name, table);
                datasets.add(descriptor);
            } catch (IOException e) {
                originals.delete(name);
                throw new SandboxException(ErrorCode.INTERNAL, "The dataset could not be stored");
            }
            ledger.append(provider, "dataset.registered", name, Map.of(
                    "contentHash", descriptor.contentHash(), "rows", Long.toString(descriptor.rows()),
                    "columns", Integer.toString(descriptor.columns().size()), "format", format.label(),
                    "encryption", "parquet-modular/AES-GCM, data key wrapped with " + crypto.cipherName() + "-GCM"));
            return descriptor;
        }
    }

    // ---- admin ------------------------------------------------------------------------------------

    /**
     * A draft table policy for a registered table, from the profiler: roles and masks proposed from
     * formats, names and cardinality, with the evidence as comments. Nothing is applied.
     */
    public String proposePolicy(Identity admin, String table) {
        Access.require(admin, Role.ADMIN);
        DatasetDescriptor dataset = datasets.get(table == null ? "" : table)
                .orElseThrow(() -> SandboxException.notFound("table '" + table + "'"));
        String draft = PolicyDrafts.draft(dataset.name(), engine.originals().table(dataset.name()), dataset.columns());
        ledger.append(admin, "policy.proposed", dataset.name(), Map.of("sha",
                HexFormat.of().formatHex(crypto.hash(draft.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        return draft;
    }

    /** Applies a table policy or a scenario; every version is kept and recorded. */
    public PolicyReceipt applyPolicy(Identity admin, String text) {
        Access.require(admin, Role.ADMIN);
        PolicyParser.Parsed parsed;
        try {
            parsed = new PolicyParser(crypto).parse(text, datasets::get);
        } catch (PolicyException e) {
            String where = e.line() > 0 ? " at line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") : "";
            throw new SandboxException(ErrorCode.INVALID_POLICY, "Invalid policy" + where + ": " + e.getMessage(),
                    Map.of("line", Integer.toString(e.line()), "column", Integer.toString(e.column())));
        }
        try {
            PolicyReceipt receipt;
            Map<String, String> details = new java.util.TreeMap<>();
            if (parsed.table().isPresent()) {
                TablePolicy stored = policies.put(parsed.table().get(), text);
                receipt = new PolicyReceipt(PolicyParser.TABLE_KIND, stored.table(), stored.version(), stored.sha());
                // the admin's decisions to serve sensitive attributes or measures unmasked, with their reasons
                String kept = stored.columns().stream()
                        .filter(c -> c.mask().function().equals("keep") && c.mask().params().containsKey("reason"))
                        .map(c -> c.name() + ": " + c.mask().params().get("reason")).collect(java.util.stream.Collectors.joining("; "));
                if (!kept.isEmpty()) {
                    details.put("keptUnmasked", kept);
                }
            } else {
                ScenarioPolicy stored = policies.put(parsed.scenario().orElseThrow(), text);
                budgets.define(stored);
                receipt = new PolicyReceipt(PolicyParser.SCENARIO_KIND, stored.id(), stored.version(), stored.sha());
            }
            details.put("kind", receipt.kind());
            details.put("version", Integer.toString(receipt.version()));
            details.put("sha", receipt.sha());
            ledger.append(admin, "policy.applied", receipt.name(), details);
            return receipt;
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The policy could not be stored");
        }
    }

    // ---- everyone ---------------------------------------------------------------------------------

    /** Schemas and roles of the registered tables; no values, no counts. */
    public List<CatalogEntry> catalog(Identity caller) {
        Access.require(caller, Role.values());
        List<CatalogEntry> entries = new ArrayList<>();
        for (DatasetDescriptor dataset : datasets.list()) {
            Optional<TablePolicy> policy = policies.table(dataset.name());
            if (caller.role() == Role.DEVELOPER && grantedColumns(caller, dataset.name()).isEmpty()) {
                continue; // developers see only what their scenarios grant
            }
            List<CatalogEntry.Column> columns = new ArrayList<>();
            for (DatasetColumn column : dataset.columns()) {
                var rule = policy.flatMap(p -> p.column(column.name()));
                if (caller.role() == Role.DEVELOPER && !grantedColumns(caller, dataset.name()).contains(column.name())) {
                    continue;
                }
                columns.add(new CatalogEntry.Column(column.name(), column.type().name().toLowerCase(Locale.ROOT),
                        rule.map(r -> r.role().name().toLowerCase(Locale.ROOT)).orElse(""),
                        rule.map(r -> r.classification()).orElse(""),
                        rule.map(r -> r.mask().function()).orElse("")));
            }
            entries.add(new CatalogEntry(dataset.name(), dataset.description(),
                    policy.map(TablePolicy::version).orElse(0), columns));
        }
        return entries;
    }

    // ---- developer --------------------------------------------------------------------------------

    /** A sample file for a developer, with the sample's report as JSON. */
    public record SampleDownload(byte[] data, SampleKind kind, SampleFormat format, int rows, String scenario,
                                 byte[] reportJson) {
    }

    /**
     * A masked or synthetic sample of a granted table, in the scenario's own pseudonyms and with only
     * the columns the scenario grants.
     *
     * @param scenario may be empty when exactly one of the developer's scenarios grants the table
     */
    public SampleDownload sample(Identity developer, String scenario, String table, String kind, String format, int maxRows) {
        Access.require(developer, Role.DEVELOPER);
        SampleKind sampleKind = SampleKind.parse(kind);
        SampleFormat sampleFormat = SampleFormat.parse(format);
        ScenarioPolicy chosen = scenarioGranting(developer, scenario, table == null ? "" : table);
        Set<String> granted = guardCatalog.scenario(chosen).grants().get(table);
        int rows = Math.max(1, Math.min(maxRows <= 0 ? 100 : maxRows, config.limits().maxSampleDownloadRows()));
        SampleService.Sample sample = samples.sample(chosen.id(), table, sampleKind);
        SampleDownloads.Encoded encoded;
        try {
            encoded = SampleDownloads.encode(sample.rows(), granted, rows, sampleFormat, engine.samples(),
                    config.dataDir().resolve("tmp"));
        } catch (IOException e) {
            throw new IllegalStateException("the sample file could not be written", e);
        }
        byte[] data = encoded.data();
        ledger.append(developer, "sample.issued", table, Map.of("scenario", chosen.id(), "kind", sampleKind.label(),
                "format", sampleFormat.label(), "rows", Integer.toString(encoded.rows()),
                "policyVersion", Integer.toString(policies.table(table).orElseThrow().version()),
                "sha", HexFormat.of().formatHex(crypto.hash(data))));
        return new SampleDownload(data, sampleKind, sampleFormat, encoded.rows(), chosen.id(), sample.reportJson());
    }

    /** The scenario under which a developer takes a table's sample: the one named, or the only one there is. */
    private ScenarioPolicy scenarioGranting(Identity developer, String scenario, String table) {
        List<ScenarioPolicy> candidates = policies.scenarios().stream()
                .filter(s -> s.admits(developer.name()))
                .filter(s -> guardCatalog.scenario(s).grants().containsKey(table))
                .filter(s -> scenario == null || scenario.isBlank() || s.id().equals(scenario))
                .toList();
        if (candidates.isEmpty()) {
            throw SandboxException.notFound("table '" + table + "'");
        }
        if (candidates.size() > 1) {
            throw new SandboxException(ErrorCode.INVALID_ARGUMENT, "table '" + table + "' is granted by several of your "
                    + "scenarios (" + String.join(", ", candidates.stream().map(ScenarioPolicy::id).sorted().toList())
                    + "): name one");
        }
        return candidates.get(0);
    }

    public JobTicket submitJob(Identity developer, String scenario, String sql) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.submit(developer, scenario, sql);
    }

    /** A dry run: the guard's decision on a query and what it would spend, without running it. */
    public CostEstimate estimateCost(Identity developer, String scenario, String sql) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.estimate(developer, scenario, sql);
    }

    /** A scenario's lifetime budget, per granted table: the scenario and the status of each account. */
    public record BudgetReport(ScenarioPolicy scenario, List<BudgetStatus> accounts) {
    }

    /**
     * The remaining budget of a scenario: for its developers, admins and auditors (figures of the budget, never of
     * the data). A developer the scenario does not name gets "not found", as for any other call.
     */
    public BudgetReport budget(Identity caller, String scenario) {
        Access.require(caller, Role.DEVELOPER, Role.ADMIN, Role.AUDITOR);
        ScenarioPolicy policy = scenarios(caller).stream().filter(s -> s.id().equals(scenario)).findFirst()
                .orElseThrow(() -> SandboxException.notFound("scenario '" + scenario + "'"));
        List<BudgetStatus> accounts = new ArrayList<>();
        for (String table : new java.util.TreeSet<>(policy.grants().keySet())) {
            budgets.status(new BudgetKey(policy.id(), table)).ifPresent(accounts::add);
        }
        return new BudgetReport(policy, accounts);
    }

    /** The scenarios a caller may see: a developer those that name them, other roles all. */
    public List<ScenarioPolicy> scenarios(Identity caller) {
        Access.require(caller, Role.values());
        return policies.scenarios().stream()
                .filter(s -> caller.role() != Role.DEVELOPER || s.admits(caller.name()))
                .sorted(java.util.Comparator.comparing(ScenarioPolicy::id)).toList();
    }

    public void watchJob(Identity developer, String jobId, Consumer<JobEvent> watcher) {
        Access.require(developer, Role.DEVELOPER);
        jobs.watch(developer, jobId, watcher);
    }

    /** Cancels a job: a developer their own, an admin any; the state it was in. */
    public org.datasandbox.core.job.JobState cancelJob(Identity caller, String jobId) {
        Access.require(caller, Role.DEVELOPER, Role.ADMIN);
        return jobs.cancel(caller, jobId);
    }

    public ReleasedResult fetchResult(Identity developer, String jobId) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.result(developer, jobId);
    }

    /** Runs a query on the masked samples of the scenario's tables, through the same guard. */
    public JobManager.DevRunResult devRun(Identity developer, String scenario, String sql) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.devRun(developer, scenario, sql, samples::devRunSession);
    }

    // ---- auditor ----------------------------------------------------------------------------------

    public LedgerVerification verifyLedger(Identity auditor) {
        Access.require(auditor, Role.AUDITOR);
        LedgerVerification verification = LedgerVerifier.verify(ledger.directory());
        ledger.append(auditor, "ledger.verified", "ledger", Map.of("valid", Boolean.toString(verification.valid()),
                "entries", Long.toString(verification.entries())));
        return verification;
    }

    // ---- internals --------------------------------------------------------------------------------

    /** Columns of a table granted to a developer by any scenario that admits them. */
    private Set<String> grantedColumns(Identity developer, String table) {
        Set<String> columns = new LinkedHashSet<>();
        for (ScenarioPolicy scenario : policies.scenarios()) {
            if (scenario.admits(developer.name())) {
                Set<String> granted = guardCatalog.scenario(scenario).grants().get(table);
                if (granted != null) {
                    columns.addAll(granted);
                }
            }
        }
        return columns;
    }

    /** The ledger entry of one API call, written by the API layer for every call. */
    public void recordCall(Identity caller, String method, String status) {
        ledger.append(caller, "rpc", method, Map.of("status", status));
    }

    /**
     * Records calls refused because the caller could not be identified: one ledger entry per 10 seconds
     * at most, with the number of calls, so that anonymous callers cannot flood the ledger.
     */
    public void recordUnauthenticatedCall(String method) {
        unauthenticated.record(method);
    }

    @Override
    public void close() {
        unauthenticated.flush();
        jobs.close();
        engine.close();
    }
}
