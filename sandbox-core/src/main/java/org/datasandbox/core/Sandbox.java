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
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.datasandbox.core.application.ApplicationRequest;
import org.datasandbox.core.application.ApplicationState;
import org.datasandbox.core.application.ApplicationStore;
import org.datasandbox.core.application.Narrowing;
import org.datasandbox.core.application.ScenarioApplication;
import org.datasandbox.core.budget.FileAnswerCache;
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
import org.datasandbox.core.policy.ScenarioTerms;
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
    /** Job results and DP answers at rest, sealed under a key per scenario (shredded at its end). */
    private final org.datasandbox.core.release.SealedResults sealedResults;
    private final FileAnswerCache answers;
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
    private final ApplicationStore applications;
    private final KeyVault vault;
    /** Where the catalog, policies, job ids and budgets live (files, or a database shared with other servers). */
    private org.datasandbox.core.metadata.MetadataStore metadata;
    /** Serials of the certificates that have called since the start: a new one triggers the issuance listing. */
    private final Set<String> seenCertificates = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Data-quality feedback (Art. 25), with the working-day calendar of {@code config/working-days.txt}. */
    private final org.datasandbox.core.quality.QualityDesk quality;
    /** What {@link #open} acquired (the directory's lock, ledger, vault, metadata, Spark, jobs): closed in reverse. */
    private final org.datasandbox.core.lifecycle.OpenedResources opened;

    private Sandbox(SandboxConfig config, CryptoProfile crypto, CertificateAuthority authority, EvidenceLedger ledger,
                    DatasetCatalog datasets, PolicyStore policies, SparkEngine engine, KeyVault vault,
                    ScenarioBudgets budgets, org.datasandbox.core.lifecycle.OpenedResources opened,
                    org.datasandbox.core.sample.ScenarioKeySource scenarioKeys) throws IOException {
        this.opened = opened;
        this.config = config;
        this.budgets = budgets;
        this.crypto = crypto;
        this.authority = authority;
        this.ledger = ledger;
        this.datasets = datasets;
        this.policies = policies;
        this.engine = engine;
        this.storage = new EncryptedParquet(vault);
        this.vault = vault;
        this.originals = new OriginalTables(engine.originals(), storage, config.dataDir().resolve("data").resolve("originals"));
        this.guardCatalog = new SandboxGuardCatalog(datasets, policies);
        this.unitUniqueness = new UnitUniqueness(originals::read);
        this.samples = new SampleService(engine, originals, storage, vault, datasets, policies, crypto, ledger,
                config.dataDir().resolve("data").resolve("samples"), config.sampleRows(),
                (scenario, table) -> policies.scenario(scenario).filter(policies::inForce)
                        .map(s -> visibleColumns(s, table)).orElse(Set.of()),
                budgets, config.limits(), scenarioKeys);
        RandomSource noiseSource = RandomSource.secure();
        this.sealedResults = org.datasandbox.core.release.SealedResults.open(config.dataDir().resolve("results"), vault,
                crypto);
        this.answers = FileAnswerCache.open(config.dataDir().resolve("answers"), sealedResults);
        this.dpReleases = new DpReleases(policies, guardCatalog, budgets, answers, crypto, Noises.over(noiseSource),
                noiseSource, config.maxResultRows());
        this.jobs = opened.add(new JobManager(engine, new GuardGate(guardCatalog, policies, ledger, crypto), ledger,
                crypto, config, new SampleHints(policies, originals::schema, config.sampleRows()), dpReleases, sealedResults,
                originals::requireStored));
        // held outputs, requests and votes survive a restart: sealed under their scenario's results key
        Path reviewDir = config.dataDir().resolve("review");
        this.reviewDesk = new org.datasandbox.core.review.ReviewDesk(ledger, crypto, Clock.systemUTC(),
                org.datasandbox.core.review.FileReviewStore.open(reviewDir, sealedResults, policies::isEnded),
                config.dataDir().relativize(reviewDir).toString());
        this.releaseReview = new org.datasandbox.core.review.ReleaseReview(reviewDesk,
                new org.datasandbox.core.review.DisclosureAnalyzer(guardCatalog,
                        new org.datasandbox.core.review.ReleaseHistory(), new java.security.SecureRandom(),
                        table -> datasets.get(table.toLowerCase(java.util.Locale.ROOT))
                                .map(org.datasandbox.core.catalog.DatasetDescriptor::rows).orElse(-1L)));
        this.jobs.review(releaseReview, policies::scenario, policies::inForce);
        this.reviewDesk.resumeDecided(); // decisions a stop broke off before their outcome
        this.unauthenticated = new RefusedCalls(ledger, config.limits().refusedCallsPeriod());
        this.applications = ApplicationStore.open(config.dataDir().resolve("applications"));
        this.staging = StagingArea.open(config.dataDir().resolve("staging"), config.maxUploadBytes(), crypto.hashName(),
                new java.security.SecureRandom());
        if (staging.leftoversRemoved() > 0) { // uploads a crash broke off: ciphertext under keys that died with it
            ledger.append(Identity.system(), "upload.staging.cleaned", "staging",
                    Map.of("files", Integer.toString(staging.leftoversRemoved())));
        }
        this.quality = new org.datasandbox.core.quality.QualityDesk(
                org.datasandbox.core.quality.QualityStore.open(config.dataDir().resolve("quality")),
                org.datasandbox.core.quality.WorkingCalendar.load(workingDaysFile(config.dataDir())), ledger, crypto,
                () -> policies.terms().now(), new org.datasandbox.core.quality.QualityDesk.Tables() {
                    @Override
                    public boolean granted(Identity developer, String table) {
                        return !grantedColumns(developer, table).isEmpty();
                    }

                    @Override
                    public Optional<String> registeredBy(String table) {
                        return datasets.get(table).map(DatasetDescriptor::registeredBy);
                    }
                }, () -> org.datasandbox.core.crypto.SecureRandoms.hex(6));
    }

    /** Opens (or on first start creates) the sandbox of a data directory. */
    public static Sandbox open(SandboxConfig config) throws IOException {
        return open(config, Clock.systemUTC());
    }

    /**
     * As {@link #open(SandboxConfig)}, with the clock that decides whether scenario terms have ended. The data
     * directory is taken first ({@link org.datasandbox.core.lifecycle.DataDirectoryLock}: a second sandbox or server
     * on it is refused); when any later step fails, everything opened so far is closed again, newest first, and the
     * directory given back, so that a refused start leaks nothing and blocks no later start.
     */
    public static Sandbox open(SandboxConfig config, Clock clock) throws IOException {
        return open(config, clock, org.datasandbox.core.sample.VaultScenarioKeys::new);
    }

    /**
     * As {@link #open(SandboxConfig, Clock)}, with the source of the scenarios' sample keys made from the vault and
     * crypto profile opened: production's are the vault's; a test (through {@code TestSandbox}) gives fixed ones, so
     * that a sample's content is one repeatable draw. Package-private: no configuration reaches a fixed key.
     */
    static Sandbox open(SandboxConfig config, Clock clock,
                        BiFunction<KeyVault, CryptoProfile, org.datasandbox.core.sample.ScenarioKeySource> scenarioKeys)
            throws IOException {
        Path dir = config.dataDir();
        Files.createDirectories(dir);
        org.datasandbox.core.lifecycle.OpenedResources opened = new org.datasandbox.core.lifecycle.OpenedResources();
        try {
            opened.add(org.datasandbox.core.lifecycle.DataDirectoryLock.acquire(dir));
            return open(config, clock, opened, scenarioKeys);
        } catch (IOException e) {
            throw opened.closeAfter(e);
        } catch (RuntimeException e) {
            throw opened.closeAfter(e);
        } catch (Error e) {
            throw opened.closeAfter(e);
        }
    }

    private static Sandbox open(SandboxConfig config, Clock clock, org.datasandbox.core.lifecycle.OpenedResources opened,
                                BiFunction<KeyVault, CryptoProfile, org.datasandbox.core.sample.ScenarioKeySource> scenarioKeys)
            throws IOException {
        Path dir = config.dataDir();
        CryptoProfile crypto = CryptoProfile.of(config.cryptoProfile());
        SandboxKeys keys = SandboxKeys.open(dir, config.keys(), crypto);
        CertificateAuthority authority = keys.authority();
        EvidenceLedger ledger = EvidenceLedger.open(dir.resolve("ledger"), crypto, keys.initialisedBefore(),
                keys.ledgerKeys(), org.datasandbox.core.ledger.CheckpointPolicy.BATCHED);
        opened.add(ledger::close); // signs the tail appended since the last checkpoint
        KeyVault vault = KeyVault.open(dir.resolve("keys"), crypto, keys.custody(), config.keys().rotateMasterKey());
        opened.add(vault::close);
        keys.record(ledger);
        org.datasandbox.core.ledger.RevocationRecorder.start(ledger, authority);
        org.datasandbox.core.ledger.IssuanceRecorder.record(ledger, authority);
        org.datasandbox.core.metadata.MetadataStore metadata = opened.add(org.datasandbox.core.metadata.MetadataStore.open(
                dir, config.metadataUrl(), Clock.systemUTC()));
        DatasetCatalog datasets = DatasetCatalog.over(metadata.datasets());
        PolicyStore policies = PolicyStore.over(metadata.policies(), new PolicyParser(crypto), new ScenarioTerms(clock));
        for (String scenario : policies.termsAssignedOnOpen()) {
            ledger.append(Identity.system(), "scenario.term.assigned", scenario,
                    Map.of("expires", policies.scenario(scenario).orElseThrow().expires().toString()));
        }
        SparkEngine engine = opened.add(SparkEngine.start(config));
        ScenarioBudgets budgets = new ScenarioBudgets(metadata.budgets(), ledger);
        policies.scenarios().forEach(budgets::define);
        Sandbox sandbox = new Sandbox(config, crypto, authority, ledger, datasets, policies, engine, vault, budgets,
                opened, scenarioKeys.apply(vault, crypto));
        sandbox.serverCredentials = keys.server();
        sandbox.metadata = metadata;
        sandbox.jobs.claimIdsFrom(metadata.jobIds());
        for (DatasetDescriptor dataset : datasets.list()) {
            // with shared metadata the catalog lists tables registered on other servers, whose data is not here
            if (sandbox.originals.isStored(dataset.name())) {
                sandbox.originals.expose(dataset.name());
            }
        }
        sandbox.endExpiredAuthorizations();
        ledger.append(Identity.system(), "sandbox.opened", "sandbox", Map.of(
                "cryptoProfile", crypto.kind().name(), "sparkMaster", config.sparkMaster(),
                "datasets", Integer.toString(datasets.list().size()), "metadata", metadata.describe()));
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
                originals.store(name, table, policy.map(p -> p.privacyUnit().name()));
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
        String draft = PolicyDrafts.draft(dataset.name(), originals.read(dataset.name()), dataset.columns());
        originals.requireStored(dataset.name()); // Spark listed the files as it read: still the ones checked
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
        String draft = PolicyDrafts.scenarioDraft(dataset.name(), originals.read(dataset.name()),
                dataset.columns());
        originals.requireStored(dataset.name()); // Spark listed the files as it read: still the ones checked
        ledger.append(admin, "policy.proposed", dataset.name(), Map.of("kind", "scenario", "sha",
                HexFormat.of().formatHex(crypto.hash(draft.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        return draft;
    }

    /**
     * Stores a table's originals clustered by its policy's privacy unit (the layout DP releases stream over), for a
     * policy applied after the data. Safe for samples: a masked sample is a function of the rows, not their layout.
     */
    private void clusterByUnit(TablePolicy policy) {
        if (originals.isStored(policy.table())) {
            try {
                originals.cluster(policy.table(), policy.privacyUnit().name());
            } catch (IOException | RuntimeException e) {
                // the table stays as it was (the SQL path bounds its DP queries); the layout is an optimization
                org.slf4j.LoggerFactory.getLogger(Sandbox.class).warn("table {} could not be clustered by its unit: {}",
                        policy.table(), e.getClass().getName());
            }
        }
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
                clusterByUnit(stored);
                receipt = new PolicyReceipt(PolicyParser.TABLE_KIND, stored.table(), stored.version(), stored.sha());
                // the admin's decisions to serve sensitive attributes or measures unmasked, with their reasons
                String kept = stored.columns().stream()
                        .filter(c -> c.mask().function().equals("keep") && c.mask().params().containsKey("reason"))
                        .map(c -> c.name() + ": " + c.mask().params().get("reason")).collect(java.util.stream.Collectors.joining("; "));
                if (!kept.isEmpty()) {
                    details.put("keptUnmasked", kept);
                }
            } else {
                ScenarioPolicy scenario = parsed.scenario().orElseThrow();
                ScenarioPolicy stored = policies.put(scenario.withExpires(termOf(scenario)), text);
                budgets.define(stored);
                receipt = new PolicyReceipt(PolicyParser.SCENARIO_KIND, stored.id(), stored.version(), stored.sha());
                details.put("expires", stored.expires().toString());
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

    /** The end of the term of a scenario applied today, or INVALID_POLICY when its stated end is out of range. */
    private java.time.LocalDate termOf(ScenarioPolicy scenario) {
        try {
            return policies.terms().termOf(scenario);
        } catch (PolicyException e) {
            throw new SandboxException(ErrorCode.INVALID_POLICY, "Invalid policy: " + e.getMessage(),
                    Map.of("line", "0", "column", "0"));
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
            boolean holds = unitUniqueness.holds(dataset.name(), policy.privacyUnit().name(), dataset.contentHash());
            originals.requireStored(dataset.name()); // Spark listed the files as it read: still the ones checked
            return holds;
        } catch (SandboxException e) {
            throw e; // tampered originals give their own error, not a false "no"
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
        Set<String> granted = visibleColumns(chosen, table);
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
        policies.requireInForce(candidates.get(0));
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

    public org.datasandbox.core.job.FetchedResult fetchResult(Identity developer, String jobId) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.result(developer, jobId);
    }

    /** Runs a query on the masked samples of the scenario's tables, through the same guard. */
    public JobManager.DevRunResult devRun(Identity developer, String scenario, String sql) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.devRun(developer, scenario, sql, samples::devRunSession);
    }

    /** A job as the review console shows it, to admins, reviewers and auditors; empty once it is forgotten. */
    public java.util.Optional<JobManager.Overview> jobOverview(Identity caller, String jobId) {
        Access.require(caller, Role.ADMIN, Role.REVIEWER, Role.AUDITOR);
        return jobs.overview(jobId);
    }

    /**
     * A released result opened from sealed storage, read batch by batch as the caller reads (Flight, and
     * FetchResult within its cap): the same checks and ledger entry as {@link #fetchResult}.
     */
    public org.datasandbox.core.job.OpenedResult openResult(Identity developer, String jobId) {
        Access.require(developer, Role.DEVELOPER);
        return jobs.openResult(developer, jobId);
    }

    // ---- auditor ----------------------------------------------------------------------------------

    public LedgerVerification verifyLedger(Identity auditor) {
        Access.require(auditor, Role.AUDITOR);
        ledger.checkpoint(); // a verification proves every entry: none may be left in the unsigned tail
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

    // ---- scenario applications ------------------------------------------------------------------

    /**
     * A developer files an application for a scenario on behalf of their organization; it waits for an admin.
     * The ledger records names, ids and the columns asked for; the purpose only by its hash.
     */
    public ScenarioApplication applyForScenario(Identity developer, ApplicationRequest request) {
        Access.require(developer, Role.DEVELOPER);
        java.util.List<String> developers = new java.util.ArrayList<>(List.of(developer.name()));
        developers.addAll(request.developers());
        ApplicationRequest asked = request.withDevelopers(developers);
        requireTermWithinLimit(asked.termDays());
        String id = "app-" + org.datasandbox.core.crypto.SecureRandoms.hex(6);
        ScenarioApplication application = new ScenarioApplication(id, developer.name(), asked, ApplicationState.PENDING,
                null, "", "", policies.terms().now().toString(), "", "");
        store(application);
        Map<String, String> details = new java.util.TreeMap<>(applicationFacts(asked));
        details.put("applicant", developer.name());
        if (!developer.organization().isEmpty() && !developer.organization().equals(asked.organization())) {
            details.put("certificateOrganization", developer.organization()); // the admin sees both
        }
        details.put("purposeSha", HexFormat.of().formatHex(crypto.hash(asked.purpose().getBytes(
                java.nio.charset.StandardCharsets.UTF_8))));
        ledger.append(developer, "application.filed", id, details);
        return application;
    }

    /** The applications a caller may see: a developer those they filed or are named in, an admin or auditor all. */
    public List<ScenarioApplication> applications(Identity caller) {
        Access.require(caller, Role.DEVELOPER, Role.ADMIN, Role.AUDITOR);
        return applications.list().stream()
                .filter(a -> caller.role() != Role.DEVELOPER || a.concerns(caller.name())).toList();
    }

    /** Approves an application as asked: its scenario is applied (see {@link #applyPolicy}) and in force. */
    public synchronized ScenarioApplication approveApplication(Identity admin, String id, String reason) {
        Access.require(admin, Role.ADMIN);
        ScenarioApplication application = pending(id);
        return grant(admin, application, application.request(), ApplicationState.APPROVED, reason == null ? "" : reason);
    }

    /** Approves less than was asked (see {@link Narrowing}); the reason is mandatory. */
    public synchronized ScenarioApplication narrowApplication(Identity admin, String id, Narrowing narrowing, String reason) {
        Access.require(admin, Role.ADMIN);
        String why = requireReason(reason, "narrowing");
        ScenarioApplication application = pending(id);
        return grant(admin, application, narrowing.apply(application.request()), ApplicationState.NARROWED, why);
    }

    /** Rejects an application; the reason is mandatory. */
    public synchronized ScenarioApplication rejectApplication(Identity admin, String id, String reason) {
        Access.require(admin, Role.ADMIN);
        String why = requireReason(reason, "rejection");
        ScenarioApplication decided = pending(id).decide(ApplicationState.REJECTED, null, why, admin.name(),
                policies.terms().now().toString(), "");
        store(decided);
        ledger.append(admin, "application.rejected", id, Map.of("reason", why,
                "scenario", decided.request().scenarioId()));
        return decided;
    }

    private ScenarioApplication grant(Identity admin, ScenarioApplication application, ApplicationRequest granted,
                                      ApplicationState state, String reason) {
        requireTermWithinLimit(granted.termDays());
        if (policies.scenario(granted.scenarioId()).isPresent()) {
            throw new SandboxException(ErrorCode.ALREADY_EXISTS, "Scenario '" + granted.scenarioId() + "' exists "
                    + "already: reject the application with that reason, and ask for another id");
        }
        java.time.LocalDate expires = policies.terms().today().plusDays(granted.termDays());
        String document = org.datasandbox.core.policy.ScenarioDocuments.write(granted.scenarioId(), granted.purpose(),
                granted.developers(), granted.grants(), granted.mode(), granted.minGroupSize(), granted.epsilon(),
                expires, "Scenario of application " + application.id() + " (" + granted.organization() + "), "
                        + state.label() + " by " + admin.name());
        PolicyReceipt receipt = applyPolicy(admin, document);
        ScenarioApplication decided = application.decide(state, granted, reason, admin.name(),
                policies.terms().now().toString(), expires.toString());
        store(decided);
        Map<String, String> details = new java.util.TreeMap<>(applicationFacts(granted));
        details.put("policyVersion", Integer.toString(receipt.version()));
        details.put("policySha", receipt.sha());
        details.put("expires", expires.toString());
        if (!reason.isEmpty()) {
            details.put("reason", reason);
        }
        ledger.append(admin, "application." + state.label(), application.id(), details);
        return decided;
    }

    private static Map<String, String> applicationFacts(ApplicationRequest request) {
        return Map.of("scenario", request.scenarioId(), "organization", request.organization(),
                "grants", request.grantsText(), "mode", request.mode(),
                "k", Integer.toString(request.minGroupSize()), "epsilon", Double.toString(request.epsilon()),
                "termDays", Integer.toString(request.termDays()),
                "developers", String.join(", ", request.developers()));
    }

    private ScenarioApplication pending(String id) {
        ScenarioApplication application = applications.get(id)
                .orElseThrow(() -> SandboxException.notFound("application '" + id + "'"));
        if (application.state() != ApplicationState.PENDING) {
            throw new SandboxException(ErrorCode.NOT_READY, "Application '" + id + "' was decided already ("
                    + application.state().label() + ")");
        }
        return application;
    }

    private void requireTermWithinLimit(int termDays) {
        java.time.LocalDate today = policies.terms().today();
        long longest = java.time.temporal.ChronoUnit.DAYS.between(today, policies.terms().latestEnd());
        if (termDays > longest) {
            throw SandboxException.invalid("the term is at most 3 years (" + longest + " days from today)");
        }
    }

    private static String requireReason(String reason, String what) {
        if (reason == null || reason.isBlank()) {
            throw SandboxException.invalid("a " + what + " states its reason");
        }
        if (reason.length() > 2_000) {
            throw SandboxException.invalid("the reason is longer than 2,000 characters");
        }
        return reason.strip();
    }

    private void store(ScenarioApplication application) {
        try {
            applications.put(application);
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The application could not be stored");
        }
    }

    // ---- certificates -----------------------------------------------------------------------------

    /**
     * Files a certificate request an admin grants: a real name, organization and role, and the holder's PKCS#10
     * request made with their own key. The server holds no CA key: {@code sandbox certificate issue --request ID}
     * signs it offline, and {@link #collectCertificate} hands the certificate out. Refused when the request is not
     * signed by its key or names another person, organization or role than granted.
     */
    public String requestCertificate(Identity admin, String name, String organization, String role, byte[] csr) {
        Access.require(admin, Role.ADMIN);
        Role granted = Role.parse(role == null ? "" : role)
                .orElseThrow(() -> SandboxException.invalid("role must be one of provider, admin, developer, reviewer, auditor"));
        try {
            org.datasandbox.core.identity.CertificateRequest request =
                    new org.datasandbox.core.identity.CertificateRequest(name, organization, granted, csr);
            request.verify();
            String id = new org.datasandbox.core.identity.SigningRequests(authority.layout()).file(request, admin.name());
            ledger.append(admin, "certificate.requested", id, Map.of("name", request.name(),
                    "organization", request.organization(), "role", granted.label(),
                    "keySha", HexFormat.of().formatHex(crypto.hash(request.publicKey().getEncoded()))));
            return id;
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Certificate request refused: " + e.getMessage());
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The certificate request could not be stored");
        }
    }

    /** The certificate signed for a request (PEM), once {@code sandbox certificate issue --request ID} has signed it. */
    public String collectCertificate(Identity admin, String requestId) {
        Access.require(admin, Role.ADMIN);
        try {
            var requests = new org.datasandbox.core.identity.SigningRequests(authority.layout());
            if (requests.request(requestId).isEmpty()) {
                throw SandboxException.notFound("certificate request '" + requestId + "'");
            }
            var certificate = requests.certificate(requestId).orElseThrow(() -> new SandboxException(ErrorCode.NOT_READY,
                    "Certificate request '" + requestId + "' is not signed yet: sign it with `sandbox certificate issue "
                            + "--request " + requestId + "`, which opens the CA keystore"));
            if (authority.identityOf(certificate).isEmpty()) {
                throw new SandboxException(ErrorCode.NOT_READY, "The certificate of request '" + requestId
                        + "' is not valid (revoked, expired or not signed by this CA)");
            }
            org.datasandbox.core.ledger.IssuanceRecorder.record(ledger, authority);
            ledger.append(admin, "certificate.collected", requestId,
                    Map.of("serial", certificate.getSerialNumber().toString(16)));
            return org.datasandbox.core.crypto.Pem.certificatesText(List.of(certificate));
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The certificate could not be read");
        }
    }

    // ---- end of an authorization -----------------------------------------------------------------

    /**
     * Terminates a scenario before its term (admin, reason required): see {@link #endAuthorization}. A scenario whose
     * term has ended may be terminated too, if the sandbox has not ended it yet.
     */
    public org.datasandbox.core.authorization.DeletionCertificate terminateScenario(Identity admin, String id,
                                                                                  String reason) {
        Access.require(admin, Role.ADMIN);
        String why = requireReason(reason, "termination");
        if (policies.scenario(id == null ? "" : id).isEmpty()) {
            throw SandboxException.notFound("scenario '" + id + "'");
        }
        if (policies.isEnded(id)) {
            throw new SandboxException(ErrorCode.NOT_READY, "Scenario '" + id + "' has ended already; its deletion "
                    + "certificate is " + config.dataDir().relativize(deletionCertificate(id)));
        }
        return endAuthorization(admin, id, why);
    }

    /** Where the deletion certificate of a scenario is kept. */
    public Path deletionCertificate(String scenario) {
        return config.dataDir().resolve("authorizations").resolve(scenario + ".deletion.json");
    }

    /**
     * Ends a scenario's authorization (Art. 18). The rule: after the end nothing kept for the scenario can be read
     * again, and what was done stays provable. So: the scenario is out of force for good; the certificates of its
     * developers who have no other scenario in force are revoked (held revoked by the server, which has no CA key,
     * and recorded, so that a restart keeps them revoked until the CA signs them into its list); every sample kept
     * for it is crypto-shredded (its data keys and pseudonym keys destroyed, Parquet's key cache emptied); the
     * ledger is kept; a deletion certificate listing what was destroyed is signed with the ledger key and recorded
     * by its hash ({@code authorization.ended}).
     */
    private synchronized org.datasandbox.core.authorization.DeletionCertificate endAuthorization(Identity actor, String id,
                                                                                                String reason) {
        try {
            ScenarioPolicy ended = policies.terminate(id).orElseThrow(() -> SandboxException.notFound("scenario '" + id + "'"));
            List<String> revoked = revokeOperators(ended);
            SampleService.Shredded shredded = samples.shred(id);
            // Parquet caches unwrapped keys per token for about 10 minutes: without this a destroyed key would still open
            org.apache.parquet.crypto.keytools.KeyToolkit.removeCacheEntriesForAllTokens();
            List<String> files = new ArrayList<>();
            for (Path location : shredded.locations()) {
                try (var walk = Files.walk(location)) {
                    walk.filter(Files::isRegularFile).map(f -> config.dataDir().relativize(f).toString()).sorted()
                            .forEach(files::add);
                }
            }
            // its results and DP answers: the scenario's results key destroyed, the results held in memory forgotten
            List<Path> answerFiles = answers.files(id);
            var results = sealedResults.shred(id);
            jobs.forgetScenario(id);
            reviewDesk.forgetScenario(id); // their held outputs are shredded with the results
            results.files().forEach(f -> files.add(config.dataDir().relativize(f).toString()));
            answerFiles.forEach(f -> files.add(config.dataDir().relativize(f).toString()));
            List<String> keys = new ArrayList<>(shredded.keys());
            keys.addAll(results.keys());
            var certificate = new org.datasandbox.core.authorization.DeletionCertificate(id, reason, actor.name(),
                    policies.terms().now().toString(), ledger.size(), revoked, keys, files, crypto.kind().name());
            String sha = org.datasandbox.core.authorization.DeletionCertificates.write(deletionCertificate(id), certificate,
                    ledger);
            ledger.append(actor, "authorization.ended", id, Map.of("reason", reason, "expires", ended.expires().toString(),
                    "certificate", config.dataDir().relativize(deletionCertificate(id)).toString(), "certificateSha", sha,
                    "revokedCertificates", Integer.toString(revoked.size()),
                    "destroyedKeys", Integer.toString(keys.size()),
                    "shreddedFiles", Integer.toString(files.size())));
            return certificate;
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The authorization could not be ended completely");
        }
    }

    /** Revokes the developer certificates of a scenario's developers who have no other scenario in force. */
    private List<String> revokeOperators(ScenarioPolicy ended) throws IOException {
        Set<String> leaving = new java.util.TreeSet<>(ended.developers());
        for (ScenarioPolicy other : policies.scenarios()) {
            if (!other.id().equals(ended.id()) && policies.inForce(other)) {
                leaving.removeAll(other.developers());
            }
        }
        List<String> revoked = new ArrayList<>();
        List<Path> folders = List.of(authority.layout().issued(), authority.layout().clientCertificate(Role.DEVELOPER).getParent());
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> certificates;
            try (var listed = Files.list(folder)) {
                certificates = listed.filter(f -> f.toString().endsWith(".pem") || f.toString().endsWith(".crt")).sorted().toList();
            }
            for (Path file : certificates) {
                var certificate = org.datasandbox.core.crypto.Pem.readCertificate(file);
                Optional<Identity> holder = authority.identityOf(certificate); // valid and not revoked yet
                if (holder.isPresent() && holder.get().role() == Role.DEVELOPER && leaving.contains(holder.get().name())
                        && !revoked.contains(holder.get().certificateSerial())) {
                    authority.holdRevoked(new org.datasandbox.core.identity.CertificateSerial(certificate.getSerialNumber()));
                    ledger.append(Identity.system(), "certificate.revoked", holder.get().certificateSerial(), Map.of(
                            "reason", "authorization ended: scenario " + ended.id(), "name", holder.get().name(),
                            "list", "held until `sandbox certificate revoke` signs it into pki/revoked.crl"));
                    revoked.add(holder.get().certificateSerial());
                }
            }
        }
        return revoked;
    }

    /** An auditor's check of a deletion certificate: its signature, keys still present, files that still open. */
    public record DeletionCheck(boolean signatureValid, List<String> keysPresent, List<String> filesReadable,
                                int locationsTried) {
        public boolean destroyed() {
            return signatureValid && keysPresent.isEmpty() && filesReadable.isEmpty() && locationsTried > 0;
        }
    }

    /**
     * Checks what a scenario's deletion certificate says (auditor): it verifies with the ledger key, none of the keys
     * it lists is in the vault, and no folder of the files it lists opens (each is read as encrypted Parquet, whose
     * footer names the key that alone could open it). Names only: nothing read is returned.
     */
    public DeletionCheck verifyDeletion(Identity auditor, String scenario) {
        Access.require(auditor, Role.AUDITOR);
        var certificate = org.datasandbox.core.authorization.DeletionCertificates.verify(deletionCertificate(scenario),
                ledger.directory().resolve("ledger.pub"));
        if (certificate.isEmpty()) {
            return new DeletionCheck(false, List.of(), List.of(), 0);
        }
        List<String> present = certificate.get().destroyedKeys().stream().filter(vault::hasKey).toList();
        Set<Path> folders = new java.util.TreeSet<>();
        for (String file : certificate.get().shreddedFiles()) {
            if (file.endsWith(".parquet")) {
                folders.add(config.dataDir().resolve(file).getParent());
            }
        }
        List<String> readable = new ArrayList<>();
        int sealedTried = 0;
        for (String file : certificate.get().shreddedFiles()) {
            if (file.endsWith(".sealed") || file.endsWith(".answer")) { // a job result or a DP answer
                sealedTried++;
                if (opens(certificate.get().scenario(), config.dataDir().resolve(file))) {
                    readable.add(file);
                }
            }
        }
        for (Path folder : folders) {
            try {
                storage.read(engine.samples(), "shredded", folder).count();
                readable.add(config.dataDir().relativize(folder).toString());
            } catch (Exception expected) { // Spark's undeclared checked exceptions too: the key is gone
                // unreadable, as the certificate says
            }
        }
        ledger.append(auditor, "deletion.verified", scenario, Map.of("keysPresent", Integer.toString(present.size()),
                "readable", Integer.toString(readable.size()), "locations", Integer.toString(folders.size())));
        return new DeletionCheck(true, present, readable, folders.size() + sealedTried);
    }

    /** Whether a sealed result or answer of a scenario still opens (it must not, once the scenario ended). */
    private boolean opens(String scenario, Path file) {
        return sealedResults.opens(scenario, file); // results in chunks too: the key is gone (or the file)
    }

    /** The last day the sweep for ended terms ran; terms end at a day's start, so one sweep a day suffices. */
    private volatile java.time.LocalDate lastSweep;

    /** Ends the authorization of every scenario whose term has ended and that is not ended yet. */
    public void endExpiredAuthorizations() {
        java.time.LocalDate today = policies.terms().today();
        if (today.equals(lastSweep)) {
            return;
        }
        synchronized (this) {
            for (ScenarioPolicy scenario : policies.scenarios()) {
                if (!scenario.inForceOn(today) && !policies.isEnded(scenario.id())) {
                    endAuthorization(Identity.system(), scenario.id(), "its term ended on " + scenario.expires());
                }
            }
            lastSweep = today;
        }
    }

    // ---- data-quality feedback and reports -----------------------------------------------------------

    /** The working-day calendar of data-quality deadlines: {@code config/working-days.txt} of the data directory. */
    public static Path workingDaysFile(Path dataDir) {
        return dataDir.resolve("config").resolve("working-days.txt");
    }

    /** Data-quality feedback: filing, answers, the overdue list (see {@link org.datasandbox.core.quality.QualityDesk}). */
    public org.datasandbox.core.quality.QualityDesk quality() {
        return quality;
    }

    /** The server's time zone: that of the working-day calendar, in which report years and extract dates run. */
    public java.time.ZoneId zone() {
        return quality.calendar().zone();
    }

    /**
     * The annual report of a year from the ledger up to its signed head (admin, auditor); recorded with the checkpoint
     * it names, so that the ledger says which reports were made of it.
     */
    public org.datasandbox.core.report.AnnualReport annualReport(Identity caller, int year) {
        Access.require(caller, Role.ADMIN, Role.AUDITOR);
        if (year < 2000 || year > 9999) {
            throw SandboxException.invalid("the year is between 2000 and 9999");
        }
        org.datasandbox.core.report.AnnualReport report;
        try {
            report = org.datasandbox.core.report.AnnualReports.compute(ledger.directory(), year, zone());
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.LEDGER_INVALID, "The annual report could not be computed: the ledger "
                    + "does not verify");
        }
        ledger.append(caller, "report.annual", Integer.toString(year), Map.of("checkpoint",
                report.checkpointSequence() + ":" + report.checkpointHash(), "rows", Integer.toString(report.rows().size())));
        return report;
    }

    /** The auditor's signed extract of the entries a filter selects (see {@link org.datasandbox.core.report.AuditExtracts}). */
    public byte[] exportAudit(Identity auditor, org.datasandbox.core.report.AuditFilter filter) {
        Access.require(auditor, Role.AUDITOR);
        byte[] extract;
        try {
            extract = org.datasandbox.core.report.AuditExtracts.export(ledger, filter);
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.LEDGER_INVALID, "The extract could not be made: the ledger does not verify");
        }
        ledger.append(auditor, "audit.exported", "ledger", Map.of("from", filter.from().toString(),
                "to", filter.to().toString(), "operator", filter.operator(), "scenario", filter.scenario(),
                "extractSha", HexFormat.of().formatHex(crypto.hash(extract))));
        return extract;
    }

    // ---- internals --------------------------------------------------------------------------------

    /** Columns of a table granted to a developer by any scenario that admits them. */
    private Set<String> grantedColumns(Identity developer, String table) {
        Set<String> columns = new LinkedHashSet<>();
        for (ScenarioPolicy scenario : policies.scenarios()) {
            if (scenario.admits(developer.name()) && policies.inForce(scenario)) {
                columns.addAll(visibleColumns(scenario, table));
            }
        }
        return columns;
    }

    /**
     * The columns of a table a scenario lets its developers see (catalog, samples): every column with a role for
     * {@code *}, else the columns it names; not the privacy unit the guard is granted implicitly to count people.
     */
    private Set<String> visibleColumns(ScenarioPolicy scenario, String table) {
        Set<String> named = scenario.grants().get(table);
        if (named == null) {
            return Set.of();
        }
        Set<String> guard = guardCatalog.scenario(scenario).grants().getOrDefault(table, Set.of());
        return named.contains("*") ? guard : guard.stream().filter(named::contains)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The ledger entry of one API call, written by the API layer for every call. */
    public void recordCall(Identity caller, String method, String status) {
        try {
            endExpiredAuthorizations();
        } catch (RuntimeException e) { // the call itself is done: it must not fail for the sweep's sake
            ledger.append(Identity.system(), "authorization.end.failed", "sweep", Map.of("error",
                    e instanceof SandboxException known ? known.code().name() : "INTERNAL"));
        }
        if (seenCertificates.add(caller.certificateSerial())) {
            // a certificate's first call: one issued offline since the last look is listed before its calls
            try {
                org.datasandbox.core.ledger.IssuanceRecorder.record(ledger, authority);
            } catch (IOException e) {
                ledger.append(Identity.system(), "certificate.listing.failed", "pki/issued", Map.of());
            }
        }
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
        try {
            unauthenticated.flush();
        } finally {
            // jobs, Spark, metadata, the vault, the ledger (its tail signed), then the data directory's lock
            opened.close();
        }
    }
}
