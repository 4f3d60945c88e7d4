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
import org.datasandbox.core.dprelease.Noises;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.core.budget.ScenarioBudgets;
import org.datasandbox.core.catalog.CatalogEntry;
import org.datasandbox.core.catalog.CsvImport;
import org.datasandbox.core.catalog.RowSource;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.catalog.ParquetImport;
import org.datasandbox.core.catalog.UploadFormat;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.SandboxKeys;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.Access;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.identity.ServerCredentials;
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
import org.datasandbox.core.policy.UnitUniqueness;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.core.sample.SampleFormat;
import org.datasandbox.core.sample.SampleHints;
import org.datasandbox.core.sample.SampleKind;
import org.datasandbox.core.sample.SampleDownloads;
import org.datasandbox.core.sample.SampleService;
import org.datasandbox.core.sample.SyntheticPreview;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.core.storage.OriginalTables;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.core.upload.StagedUpload;
import org.datasandbox.core.upload.StagingArea;
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
    private final UnitUniqueness unitUniqueness;
    /** The TLS server key from key custody; set once by {@link #open}. */
    private volatile ServerCredentials serverCredentials;
    private final StagingArea staging;
    private final org.datasandbox.core.review.ReviewDesk reviewDesk;
    private final org.datasandbox.core.review.ReleaseReview releaseReview;
    /** Names of datasets being imported: reserved, so that two uploads of one name cannot both register. */
    private final Set<String> importing = new java.util.HashSet<>();

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
        this.unitUniqueness = new UnitUniqueness(name -> engine.originals().table(name));
        this.samples = new SampleService(engine, storage, vault, datasets, policies, crypto, ledger,
                config.dataDir().resolve("data").resolve("samples"), config.sampleRows(),
                (scenario, table) -> policies.scenario(scenario)
                        .map(s -> guardCatalog.scenario(s).grants().getOrDefault(table, Set.of())).orElse(Set.of()),
                budgets, config.limits());
        RandomSource noiseSource = RandomSource.secure();
        this.dpReleases = new DpReleases(policies, guardCatalog, budgets,
                FileAnswerCache.open(config.dataDir().resolve("answers")), crypto, Noises.over(noiseSource), noiseSource,
                config.maxResultRows());
        this.jobs = new JobManager(engine, new GuardGate(guardCatalog, policies, ledger, crypto), ledger, crypto, config,
                new SampleHints(policies, engine, config.sampleRows()), dpReleases);
        this.reviewDesk = new org.datasandbox.core.review.ReviewDesk(ledger, crypto, Clock.systemUTC());
        this.releaseReview = new org.datasandbox.core.review.ReleaseReview(reviewDesk,
                new org.datasandbox.core.review.DisclosureAnalyzer(guardCatalog,
                        new org.datasandbox.core.review.ReleaseHistory(), new java.security.SecureRandom(),
                        table -> datasets.get(table.toLowerCase(java.util.Locale.ROOT))
                                .map(org.datasandbox.core.catalog.DatasetDescriptor::rows).orElse(-1L)));
        this.jobs.review(releaseReview, policies::scenario);
        this.unauthenticated = new RefusedCalls(ledger, config.limits().refusedCallsPeriod());
        this.staging = StagingArea.open(config.dataDir().resolve("staging"), config.maxUploadBytes(), crypto.hashName(),
                new java.security.SecureRandom());
        if (staging.leftoversRemoved() > 0) { // uploads a crash broke off: ciphertext under keys that died with it
            ledger.append(Identity.system(), "upload.staging.cleaned", "staging",
                    Map.of("files", Integer.toString(staging.leftoversRemoved())));
        }
    }

    /** Opens (or on first start creates) the sandbox of a data directory. */
    public static Sandbox open(SandboxConfig config) throws IOException {
        Path dir = config.dataDir();
        Files.createDirectories(dir);
        CryptoProfile crypto = CryptoProfile.of(config.cryptoProfile());
        SandboxKeys keys = SandboxKeys.open(dir, config.keys(), crypto);
        CertificateAuthority authority = keys.authority();
        EvidenceLedger ledger = EvidenceLedger.open(dir.resolve("ledger"), crypto, keys.initialisedBefore(),
                keys.ledgerKeys());
        KeyVault vault = KeyVault.open(dir.resolve("keys"), crypto, keys.custody(), config.keys().rotateMasterKey());
        keys.record(ledger);
        org.datasandbox.core.ledger.RevocationRecorder.start(ledger, authority);
        DatasetCatalog datasets = DatasetCatalog.open(dir.resolve("catalog").resolve("datasets"));
        PolicyStore policies = PolicyStore.open(dir.resolve("catalog").resolve("policies"), new PolicyParser(crypto));
        SparkEngine engine = SparkEngine.start(config);
        ScenarioBudgets budgets = new ScenarioBudgets(FileBudgetStore.open(dir.resolve("budget"), Clock.systemUTC()), ledger);
        policies.scenarios().forEach(budgets::define);
        Sandbox sandbox = new Sandbox(config, crypto, authority, ledger, datasets, policies, engine, vault, budgets);
        sandbox.serverCredentials = keys.server();
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

    /** The TLS server's key and chain, from key custody (never from the data directory). */
    public ServerCredentials serverCredentials() {
        return serverCredentials;
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

    /** Registers a file held in memory, through the same staging as a streamed upload. */
    public DatasetDescriptor registerDataset(Identity provider, String name, String description, byte[] file,
                                             UploadFormat format, Map<String, ColumnType> declaredTypes) {
        try (StagedUpload upload = beginUpload(provider)) {
            try {
                upload.append(file);
                upload.finish();
            } catch (SandboxException e) {
                uploadFailed(provider, name, upload.size(), e.code().name());
                throw e;
            }
            return registerDataset(provider, name, description, upload, format, declaredTypes);
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The upload could not be staged");
        }
    }

    /**
     * Starts an upload: its bytes go to a staging file as they arrive ({@link StagedUpload#append}), never
     * all into memory, up to the configured quota. The caller closes it, which deletes the staged file.
     */
    public StagedUpload beginUpload(Identity provider) throws IOException {
        Access.require(provider, Role.PROVIDER);
        return staging.begin();
    }

    /**
     * Registers a finished upload as an original table: checked strictly in a streaming pass, stored as
     * encrypted Parquet in another, recorded with the hash of the uploaded bytes. Nothing is kept if any step
     * fails, and the failed attempt is recorded (its size and error code, no content).
     */
    public DatasetDescriptor registerDataset(Identity provider, String name, String description, StagedUpload upload,
                                             UploadFormat format, Map<String, ColumnType> declaredTypes) {
        Access.require(provider, Role.PROVIDER);
        if (name == null || !DatasetDescriptor.NAME.matcher(name).matches()) {
            uploadFailed(provider, null, upload.size(), ErrorCode.INVALID_ARGUMENT.name());
            throw SandboxException.invalid("A dataset name is a lower-case identifier of at most 63 characters");
        }
        synchronized (datasets) {
            if (datasets.contains(name) || !importing.add(name)) {
                uploadFailed(provider, name, upload.size(), ErrorCode.ALREADY_EXISTS.name());
                throw new SandboxException(ErrorCode.ALREADY_EXISTS, "Dataset '" + name + "' is already registered");
            }
        }
        try {
            RowSource table = switch (format) {
                case CSV -> CsvImport.read(upload::open, declaredTypes);
                case PARQUET -> ParquetImport.read(upload.inputFile(), declaredTypes, config.maxUploadBytes());
            };
            DatasetDescriptor descriptor = new DatasetDescriptor(name, description, table.columns(), table.rowCount(),
                    upload.contentHash(), provider.name(), java.time.Instant.now().toString());
            Optional<TablePolicy> policy = policies.table(name);
            try {
                originals.store(name, table);
                // A policy applied before the data declared one row per unit: the data must keep that
                // promise, or it is not registered (the guard's rewrites rely on it; see applyPolicy).
                if (policy.isPresent() && policy.get().oneRowPerUnit() && !oneRowPerUnit(policy.get(), descriptor)) {
                    originals.delete(name);
                    throw new SandboxException(ErrorCode.INVALID_ARGUMENT, "The upload breaks the policy of table '"
                            + name + "': it declares one_row_per_unit, but some rows share a privacy unit or have "
                            + "none; correct the data, or apply a policy without one_row_per_unit first");
                }
            } catch (IOException e) {
                originals.delete(name);
                throw new SandboxException(ErrorCode.INTERNAL, "The dataset could not be stored");
            }
            synchronized (datasets) {
                try {
                    datasets.add(descriptor);
                } catch (IOException e) {
                    originals.delete(name);
                    throw new SandboxException(ErrorCode.INTERNAL, "The dataset could not be stored");
                }
                Map<String, String> details = new java.util.TreeMap<>(Map.of(
                        "contentHash", descriptor.contentHash(), "rows", Long.toString(descriptor.rows()),
                        "columns", Integer.toString(descriptor.columns().size()), "format", format.label(),
                        "bytes", Long.toString(upload.size()),
                        "encryption", "parquet-modular/AES-GCM, data key wrapped with " + crypto.cipherName() + "-GCM"));
                if (policy.isPresent() && policy.get().oneRowPerUnit()) {
                    details.put("oneRowPerUnit", "verified");
                }
                ledger.append(provider, "dataset.registered", name, details);
            }
            return descriptor;
        } catch (SandboxException e) {
            uploadFailed(provider, name, upload.size(), e.code().name());
            throw e;
        } catch (RuntimeException e) {
            uploadFailed(provider, name, upload.size(), ErrorCode.INTERNAL.name());
            throw e;
        } finally {
            synchronized (datasets) {
                importing.remove(name);
            }
        }
    }

    /**
     * Records an upload that registered nothing: refused, broken off or failed. Only its size and a reason
     * code: an upload's content, and so its error messages' line numbers, stay out of the ledger.
     */
    public void uploadFailed(Identity provider, String name, long bytes, String reason) {
        ledger.append(provider, "dataset.upload.failed",
                name != null && DatasetDescriptor.NAME.matcher(name).matches() ? name : "-",
                Map.of("bytes", Long.toString(bytes), "reason", reason));
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

    /**
     * A draft scenario for a registered table, in DP mode (the mode for new scenarios), with per-query epsilon,
     * delta and contribution bounds proposed from the table's profile. Nothing is applied; the admin writes its
     * purpose and developers.
     */
    public String proposeScenario(Identity admin, String table) {
        Access.require(admin, Role.ADMIN);
        DatasetDescriptor dataset = datasets.get(table == null ? "" : table)
                .orElseThrow(() -> SandboxException.notFound("table '" + table + "'"));
        String draft = PolicyDrafts.scenarioDraft(dataset.name(), engine.originals().table(dataset.name()),
                dataset.columns());
        ledger.append(admin, "policy.proposed", dataset.name(), Map.of("kind", "scenario", "sha",
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
        Map<String, String> details = new java.util.TreeMap<>();
        if (parsed.table().isPresent() && parsed.table().get().oneRowPerUnit()) {
            details.put("oneRowPerUnit", verifyOneRowPerUnit(parsed.table().get()));
        }
        try {
            PolicyReceipt receipt;
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

    /**
     * A policy's one_row_per_unit declaration checked on the registered data, when there is any: the
     * guard counts units without a distinct aggregation on such tables, so a false declaration would let
     * a group of fewer than k people through. Refused with no value and no count; a table not registered
     * yet is verified when it is.
     */
    private String verifyOneRowPerUnit(TablePolicy policy) {
        Optional<DatasetDescriptor> dataset = datasets.get(policy.table());
        if (dataset.isEmpty()) {
            return "declared; verified when the table is registered";
        }
        if (!oneRowPerUnit(policy, dataset.get())) {
            throw new SandboxException(ErrorCode.INVALID_POLICY, "Invalid policy: one_row_per_unit is declared, but "
                    + "some rows of table '" + policy.table() + "' share a privacy unit or have none; remove "
                    + "one_row_per_unit", Map.of("line", "0", "column", "0"));
        }
        return "verified on data " + dataset.get().contentHash();
    }

    /** Whether this version of the table has exactly one row per unit; any failure to tell is a no. */
    private boolean oneRowPerUnit(TablePolicy policy, DatasetDescriptor dataset) {
        try {
            return unitUniqueness.holds(dataset.name(), policy.privacyUnit().name(), dataset.contentHash());
        } catch (Exception e) { // Spark throws checked exceptions undeclared
            return false;
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

    /**
     * What a synthetic sample of a granted table would cost and be worth, before anything is fitted or spent
     * (see {@link SampleService#preview}): the estimate from the policy and the registered size, naming only the
     * granted columns. Masked samples spend no budget and have nothing to preview.
     */
    public SyntheticPreview samplePreview(Identity developer, String scenario, String table, String kind) {
        Access.require(developer, Role.DEVELOPER);
        if (SampleKind.parse(kind) != SampleKind.SYNTHETIC) {
            throw SandboxException.invalid("A preview is for synthetic samples (they spend privacy budget); masked samples spend none");
        }
        ScenarioPolicy chosen = scenarioGranting(developer, scenario, table == null ? "" : table);
        SyntheticPreview preview = samples.preview(chosen.id(), table);
        ledger.append(developer, "sample.previewed", table, Map.of("scenario", chosen.id(), "kind", SampleKind.SYNTHETIC.label(),
                "policyVersion", Integer.toString(preview.policyVersion())));
        return preview;
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

    // ---- reviewer ---------------------------------------------------------------------------------

    /** The release review desk: the queue that reviewers decide and the console shows. */
    public org.datasandbox.core.review.ReviewDesk reviewDesk() {
        return reviewDesk;
    }

    /**
     * Judges each threshold query alone, not against the scenario's earlier releases: for throw-away sandboxes that
     * evaluate a batch of independent queries ({@code sandbox query --batch}); a server never calls it.
     */
    public void judgeEachQueryAlone() {
        releaseReview.compareWithEarlierReleases(false);
    }

    /** The queue of release requests, newest first (reviewers and admins); all, or those of one status. */
    public List<org.datasandbox.core.review.ReleaseRequest> releaseRequests(
            Identity caller, Optional<org.datasandbox.core.review.ReleaseStatus> status) {
        return reviewDesk.list(caller, status);
    }

    /** One release request with its disclosure report (reviewers and admins). */
    public org.datasandbox.core.review.ReleaseRequest releaseRequest(Identity caller, String requestId) {
        return reviewDesk.get(caller, requestId);
    }

    /** The held output of a release request, as Arrow IPC (reviewers and admins). */
    public byte[] releaseRequestResult(Identity caller, String requestId) {
        return reviewDesk.result(caller, requestId);
    }

    /** A reviewer approves or rejects a release request, with a reason; never their own. */
    public org.datasandbox.core.review.ReleaseRequest decideRelease(Identity reviewer,
                                                                    org.datasandbox.core.review.ReviewDecision decision) {
        return reviewDesk.decide(reviewer, decision);
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
