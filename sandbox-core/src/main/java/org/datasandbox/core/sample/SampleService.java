package org.datasandbox.core.sample;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.core.config.SandboxConfig;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.budget.ScenarioBudgets;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.sample.synthetic.UtilityEstimate;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.sample.synthetic.PrivacyCost;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.core.storage.OriginalTables;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.report.SampleReport;
import org.datasandbox.sample.report.MaskedReports;
import org.datasandbox.sample.report.Report;
import org.datasandbox.sample.report.SyntheticReport;
import org.datasandbox.sample.report.SyntheticReports;
import org.datasandbox.sample.report.MaskedRisk;
import org.datasandbox.sample.report.MaskedRiskReports;
import org.datasandbox.sample.report.LinkedRiskReports;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.KlAnonymizer;
import org.datasandbox.sample.sampling.LinkGraph;
import org.datasandbox.sample.sampling.LinkedAnonymizer;
import org.datasandbox.sample.sampling.LinkedSampler;
import org.datasandbox.sample.sampling.LinkedTable;
import org.datasandbox.sample.sampling.LinkedTables;
import org.datasandbox.sample.sampling.ParentRelease;
import org.datasandbox.sample.sampling.MaskedSampleGenerator;
import org.datasandbox.sample.sampling.SparkValueTypes;
import org.datasandbox.sample.release.MaskedRelease;
import org.datasandbox.sample.release.ReleaseRule;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;

/**
 * Makes, stores and caches the development samples of each scenario. Masked samples pseudonymize with
 * a key of the scenario, so joins work inside a scenario and never across two. Tables linked by a
 * declared join on their privacy units are sampled together: the same people in masked samples, and
 * in synthetic ones child rows that point only at the parent sample's units.
 */
public final class SampleService {
    /** Seeds the synthetic samples' draws; the selection of people is keyed per scenario. */
    private static final long SEED = 20_261_127L;
    /** k of the synthetic samples' risk figure. */
    private static final int REPORT_K = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SampleService.class);

    /** A sample with its report (also as the JSON recorded in the ledger by hash). */
    public record Sample(Dataset<Row> rows, Report report, byte[] reportJson) {
    }

    private record Key(String scenario, String table, SampleKind kind) {
    }

    /**
     * @param policyVersions of the table and of the tables it is linked to: a change to any remakes it
     * @param units how many privacy units a synthetic sample numbered (what its linked tables point at)
     * @param granted the columns the scenario granted when the sample was made: its report covers only those
     * @param levels a masked sample's generalization level per attacker-known column (how a linked child's
     *     population is generalized on its columns); empty for a synthetic sample
     */
    private record Made(List<Integer> policyVersions, Set<String> granted, long units, String keyName, Path location, Sample sample,
                        int epoch, List<String> dataVersions, Map<String, Integer> levels) {
    }

    private final SparkEngine engine;
    /** The stored originals: every row of them this service reads goes through their checked read. */
    private final OriginalTables originals;
    private final EncryptedParquet storage;
    private final KeyVault vault;
    private final DatasetCatalog datasets;
    private final PolicyStore policies;
    private final CryptoProfile crypto;
    private final EvidenceLedger ledger;
    private final Path dir;
    private final int targetUnits;
    private final SyntheticModels models;
    private final SampleCache<Key, Made> made;
    private final SampleCache<String, SparkSession> devSessions;
    private final BiFunction<String, String, Set<String>> grantedColumns;
    private final ScenarioBudgets budgets;
    private final ReleaseHistory releases;
    /** The scenarios' secret keys (pseudonyms and the selection of people): the vault's, or a test's fixed ones. */
    private final ScenarioKeySource scenarioKeys;

    /**
     * @param engine its originals' session is where samples are computed; the originals' rows are read only through
     *        {@code originals}
     * @param originals the stored originals, read only after their files are checked against their record
     */
    public SampleService(SparkEngine engine, OriginalTables originals, EncryptedParquet storage, KeyVault vault,
                         DatasetCatalog datasets, PolicyStore policies, CryptoProfile crypto, EvidenceLedger ledger,
                         Path dir, int targetUnits,
                         BiFunction<String, String, Set<String>> grantedColumns, ScenarioBudgets budgets,
                         SandboxConfig.Limits limits, ScenarioKeySource scenarioKeys) {
        this(engine, originals, storage, vault, datasets, policies, crypto, ledger, dir, targetUnits, grantedColumns, budgets, limits,
                scenarioKeys, Ticker.systemTicker());
    }

    SampleService(SparkEngine engine, OriginalTables originals, EncryptedParquet storage, KeyVault vault, DatasetCatalog datasets,
                  PolicyStore policies, CryptoProfile crypto, EvidenceLedger ledger, Path dir, int targetUnits,
                  BiFunction<String, String, Set<String>> grantedColumns, ScenarioBudgets budgets,
                  SandboxConfig.Limits limits, ScenarioKeySource scenarioKeys, Ticker ticker) {
        this.scenarioKeys = Objects.requireNonNull(scenarioKeys, "scenarioKeys");
        this.made = new SampleCache<>(limits, ticker);
        this.devSessions = new SampleCache<>(limits, ticker);
        this.engine = engine;
        this.originals = Objects.requireNonNull(originals, "originals");
        this.storage = storage;
        this.vault = vault;
        this.datasets = datasets;
        this.policies = policies;
        this.crypto = crypto;
        this.ledger = ledger;
        this.dir = dir;
        this.targetUnits = targetUnits;
        this.grantedColumns = grantedColumns;
        this.budgets = budgets;
        this.models = new SyntheticModels(ledger, dir.resolve("models"));
        this.releases = new ReleaseHistory(dir.resolve("releases.json"));
    }

    /** What ending a scenario destroyed of its samples: the data keys and the folders encrypted under them. */
    public record Shredded(List<String> keys, List<Path> locations) {
    }

    /**
     * Crypto-shreds every sample kept for a scenario (the end of its authorization): each masked and synthetic
     * sample's data key and the scenario's pseudonym keys of every epoch are destroyed, so its sample files (left
     * in place as ciphertext) and its pseudonyms can never be opened or made again; its cached samples and dev-run
     * session are dropped. Every sample of every registered table is looked for, not only the granted ones (a
     * linked parent's sample is made under the child's scenario too).
     */
    public synchronized Shredded shred(String scenario) throws IOException {
        List<String> keys = new ArrayList<>();
        List<Path> locations = new ArrayList<>();
        for (var dataset : datasets.list()) {
            for (SampleKind kind : SampleKind.values()) {
                Key key = new Key(scenario, dataset.name(), kind);
                made.remove(key);
                String id = sampleId(key);
                if (vault.hasKey("sample_" + id)) {
                    vault.destroyKey("sample_" + id);
                    keys.add("sample_" + id);
                    if (Files.exists(dir.resolve(id))) {
                        locations.add(dir.resolve(id));
                    }
                }
            }
        }
        for (int epoch = 0; epoch <= releases.epoch(scenario); epoch++) {
            String name = VaultScenarioKeys.keyName(crypto, scenario, epoch);
            if (vault.hasKey(name)) {
                vault.destroyKey(name);
                keys.add(name);
            }
        }
        devSessions.remove(scenario);
        return new Shredded(keys, locations);
    }

    private String sampleId(Key key) {
        return HexFormat.of().formatHex(crypto.hash((key.scenario() + "/" + key.kind() + "/" + key.table())
                .getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    }

    /** The sample of a table for a scenario, made on first use after each policy version. */
    public synchronized Sample sample(String scenario, String table, SampleKind kind) {
        return make(new Key(scenario, table, kind), 0).sample();
    }

    /**
     * What a synthetic sample of the table would cost the scenario and be worth, before anything is fitted or
     * spent: the estimate from the policy and the table's registered size alone (no row is read), the planned
     * epsilon and delta, whether a model of this policy version exists, and whether the budget can pay now.
     */
    public synchronized SyntheticPreview preview(String scenario, String table) {
        TablePolicy policy = policies.table(table)
                .orElseThrow(() -> SandboxException.notFound("a policy for table '" + table + "'"));
        DatasetDescriptor dataset = datasets.get(table).orElseThrow(() -> SandboxException.notFound("table '" + table + "'"));
        Set<String> granted = Set.copyOf(grantedColumns.apply(scenario, table));
        // the schema only: building a column list reads no row
        List<SampleColumn> columns = SampleColumns.of(policy, originals.schema(table));
        UtilityEstimate before = SyntheticModels.estimate(policy, columns, dataset.rows()).visibleTo(granted);
        PrivacyLoss planned = SyntheticModels.plannedLoss(policy, columns);
        boolean affordable = budgetShortfall(scenario, table, planned).isEmpty();
        return new SyntheticPreview(scenario, table, policy.version(), planned.epsilon(), planned.delta(),
                models.existing(policy).isPresent(), affordable, before);
    }

    /**
     * A session of the scenario's own in which the listed tables are its masked samples: what dev runs
     * query. Each scenario has its own, so that its pseudonyms never meet another scenario's.
     */
    public synchronized SparkSession devRunSession(String scenario, Set<String> tables) {
        SparkSession session = devSessions.get(scenario).orElseGet(() -> engine.samples().newSession());
        devSessions.put(scenario, session);
        for (String table : tables) {
            Made sample = make(new Key(scenario, table, SampleKind.MASKED), 0);
            storage.read(session, sample.keyName(), sample.location()).createOrReplaceTempView(table);
        }
        return session;
    }

    private Made make(Key key, int depth) {
        TablePolicy policy = policies.table(key.table())
                .orElseThrow(() -> SandboxException.notFound("a policy for table '" + key.table() + "'"));
        if (datasets.get(key.table()).isEmpty()) {
            throw SandboxException.notFound("table '" + key.table() + "'");
        }
        Set<String> granted = Set.copyOf(grantedColumns.apply(key.scenario(), key.table()));
        // nothing drawn from tampered originals leaves, a sample made before the tampering neither: checked on every
        // call, cached or not (a directory listing per table)
        requireStored(key.table());
        Made current = made.get(key).orElse(null);
        if (current != null && current.policyVersions().equals(policyVersions(key.table())) && current.granted().equals(granted)
                && current.dataVersions().equals(dataVersions(key.table()))
                && (key.kind() != SampleKind.MASKED || current.epoch() == releases.epoch(key.scenario()))) {
            return current;
        }
        String id = sampleId(key);
        String keyName = "sample_" + id;
        Path location = dir.resolve(id);
        Dataset<Row> originals = this.originals.read(key.table());
        List<SampleColumn> columns = SampleColumns.of(policy, originals.schema());
        // the report names and measures only what the scenario may see: other columns do not exist for it
        List<SampleColumn> visible = columns.stream().filter(c -> granted.contains(c.name())).toList();
        Made result = key.kind() == SampleKind.MASKED
                ? masked(key, policy, originals, columns, visible, granted, keyName, location, depth)
                : synthetic(key, policy, originals, visible, granted, keyName, location, depth);
        // Spark listed the files as it read them: the sample leaves only if they are still the ones checked
        requireStored(key.table());
        made.put(key, result);
        ledger.append(Identity.system(), "sample.created", key.table(), Map.of("scenario", key.scenario(),
                "kind", key.kind().label(), "rows", Long.toString(result.sample().report().rows()),
                "policyVersion", Integer.toString(policy.version()),
                "reportSha", HexFormat.of().formatHex(crypto.hash(result.sample().reportJson()))));
        return result;
    }

    /**
     * A masked release under the scenario's current keys, unless joined on the pseudonym with an earlier release
     * still held it would narrow someone ({@link ReleaseRule}): then the scenario moves to fresh keys first (a
     * fresh selection and fresh pseudonyms, recorded in the ledger) and the release is made under them.
     */
    private Made masked(Key key, TablePolicy policy, Dataset<Row> originals, List<SampleColumn> columns,
                        List<SampleColumn> visible, Set<String> granted, String keyName, Path location, int depth) {
        // the parent first: its release may move the scenario to fresh keys, which the child must then use
        Optional<String> parent = depth < 3 ? parentOf(key.table()) : Optional.empty();
        parent.ifPresent(p -> make(new Key(key.scenario(), p, SampleKind.MASKED), depth + 1));
        while (true) {
            int epoch = releases.epoch(key.scenario());
            byte[] scenarioKey = scenarioKey(key.scenario(), epoch);
            long seed = selectionSeed(scenarioKey);
            MaskingPolicy masking = maskingPolicy(policy, originals, scenarioKey);
            double fraction = fraction(key.table(), 0);
            LinkedTables links = links(key.table(), depth);
            Dataset<Row> selected = LinkedSampler.select(links.table(), this.originals::read, fraction, seed);
            Dataset<Row> masked = LinkedAnonymizer.withSuppressedParentsRemoved(MaskedSampleGenerator.mask(selected, masking), links,
                    links.joinedParent().map(p -> storedMasked(key.scenario(), p.name(), depth)));
            AnonymitySpec spec = MaskedSampleRisk.spec(policy, masked, masking, granted);
            Optional<ParentRelease> parentRelease = parentRelease(key.scenario(), links, scenarioKey, depth);
            KlAnonymizer.Anonymized anonymized = LinkedAnonymizer.anonymize(masked, links, spec, parentRelease);
            MaskedRelease release = MaskedReleases.of(policy, masked.columns(), granted, spec, anonymized.levels(),
                    dataVersions(key.table()), fraction, rootStratification(key.table()));
            Optional<String> narrowing = ReleaseRule.narrowing(releases.held(key.scenario(), key.table()), release);
            if (narrowing.isPresent()) {
                int fresh = releases.rekey(key.scenario());
                LOG.info("scenario {} table {}: masked sample re-keyed to epoch {}: {}", key.scenario(), key.table(), fresh, narrowing.get());
                ledger.append(Identity.system(), "sample.rekeyed", key.table(), Map.of("scenario", key.scenario(),
                        "epoch", Integer.toString(fresh), "policyVersion", Integer.toString(policy.version()), "reason", narrowing.get()));
                continue; // a fresh epoch holds no release yet: the next round keeps its keys
            }
            // the population the attacker links against: every original, masked the same way
            Dataset<Row> population = MaskedSampleGenerator.mask(originals, masking);
            List<String> identifying = MaskedSampleRisk.identifying(spec, masked, population);
            write(MaskedSampleGenerator.shuffle(anonymized.rows(), seed), keyName, location);
            Dataset<Row> stored = storage.read(engine.originals(), keyName, location);
            long verbatim = MaskedSampleRisk.servedVerbatim(policy, visible, anonymized.levels()) ? stored.count() : 0;
            // a linked table's figures are over what the attacker joins: its rows with their person's released parent values
            MaskedRisk measured = parentRelease.isPresent()
                    ? LinkedRiskReports.measure(stored, population, spec, anonymized.levels(), parentRelease.get(),
                            anonymized.generalization(), anonymized.suppressedRows(), verbatim)
                    : MaskedRiskReports.measure(stored, KlAnonymizer.generalize(population, spec, anonymized.levels()),
                            spec.unit(), List.copyOf(spec.known().keySet()), spec.sensitive(), spec.k(), spec.l(),
                            anonymized.generalization(), anonymized.suppressedRows(), verbatim);
            Set<String> named = new java.util.HashSet<>(granted);
            parentRelease.ifPresent(p -> named.addAll(LinkedRiskReports.parentNames(p)));
            MaskedRisk risk = measured.withIdentifying(identifying).visibleTo(named);
            // built from the sample, the policy's ladders and the risk counts only: never compared with the originals
            SampleReport report = MaskedReports.of(key.table(), stored, visible, spec, anonymized.levels(), risk, verbatim);
            releases.record(key.scenario(), key.table(), release);
            return new Made(policyVersions(key.table()), granted, report.rows(), keyName, location,
                    sample(keyName, location, report), epoch, dataVersions(key.table()), anonymized.levels());
        }
    }

    private Made synthetic(Key key, TablePolicy policy, Dataset<Row> originals, List<SampleColumn> visible,
                           Set<String> granted, String keyName, Path location, int depth) {
        // before the fit, from the policy and the registered size alone: what the caller is told, and whether
        // the scenario can pay; a refusal spends no compute and reads no row
        List<SampleColumn> columns = SampleColumns.of(policy, originals.schema());
        UtilityEstimate before = SyntheticModels.estimate(policy, columns, datasets.get(key.table()).orElseThrow().rows());
        SyntheticModel model = model(key.scenario(), key.table(), before);
        chargeModel(key, policy, model);
        Optional<String> parent = depth < 3 ? parentOf(key.table()) : Optional.empty();
        long units;
        double withRows = 1;
        Made parentSample = null;
        if (parent.isPresent()) {
            parentSample = make(new Key(key.scenario(), parent.get(), SampleKind.SYNTHETIC), depth + 1);
            units = parentSample.units();
            withRows = Math.min(1, model.units() / Math.max(1, models.existing(policies.table(parent.get()).orElseThrow())
                    .orElseThrow().units()));
        } else {
            units = Math.max(1, Math.min(targetUnits, Math.round(model.units())));
        }
        // each table its own random stream: a parent and its child must not draw from the same uniforms
        long seed = SEED * 31 + key.table().hashCode();
        // drawn from the model alone: no filter compares the rows with the originals, so every child row
        // keeps its parent (units 1 to the parent's count) and the sample reveals nothing beyond the model
        Dataset<Row> rows = SyntheticSampleGenerator.generate(engine.originals(), model, units, withRows, seed);
        write(rows, keyName, location);
        Dataset<Row> stored = storage.read(engine.originals(), keyName, location);
        SyntheticReport report = SyntheticReports.of(key.table(), stored, model, visible, REPORT_K).withEstimateBeforeFit(before);
        return new Made(policyVersions(key.table()), granted, units, keyName, location, sample(keyName, location, report),
                releases.epoch(key.scenario()), dataVersions(key.table()), Map.of());
    }

    /** The links of a table's masked sample; past the recursion's depth its sample no longer joins the parent's. */
    private LinkedTables links(String table, int depth) {
        LinkedTables links = linkGraph().spec(table);
        return depth < LinkedTable.MAX_DEPTH ? links : new LinkedTables(links.table(), links.children(), false);
    }

    /** The stored masked sample of a linked parent for the scenario (made first when needed). */
    private Dataset<Row> storedMasked(String scenario, String parent, int depth) {
        Made parentSample = make(new Key(scenario, parent, SampleKind.MASKED), depth + 1);
        return storage.read(engine.originals(), parentSample.keyName(), parentSample.location());
    }

    /**
     * The parent's masked sample as released to the scenario, with the columns its own anonymization treated as
     * attacker-known and sensitive: what the table's rows are anonymized together with.
     */
    private Optional<ParentRelease> parentRelease(String scenario, LinkedTables links, byte[] scenarioKey, int depth) {
        if (links.joinedParent().isEmpty()) {
            return Optional.empty();
        }
        String parent = links.joinedParent().get().name();
        TablePolicy parentPolicy = policies.table(parent).orElseThrow();
        Made parentSample = make(new Key(scenario, parent, SampleKind.MASKED), depth + 1);
        Dataset<Row> parentRows = storage.read(engine.originals(), parentSample.keyName(), parentSample.location());
        Dataset<Row> parentOriginals = originals.read(parent);
        MaskingPolicy parentMasking = maskingPolicy(parentPolicy, parentOriginals, scenarioKey);
        AnonymitySpec parentSpec = MaskedSampleRisk.spec(parentPolicy, parentRows, parentMasking,
                Set.copyOf(grantedColumns.apply(scenario, parent)));
        // every original person as the parent's sample shows people: what a child's population is joined to for F
        Dataset<Row> parentPopulation = KlAnonymizer.generalize(MaskedSampleGenerator.mask(parentOriginals, parentMasking), parentSpec,
                parentSample.levels());
        return Optional.of(new ParentRelease(parent, parentSpec.unit(), parentRows, parentPopulation,
                List.copyOf(parentSpec.known().keySet()), parentSpec.sensitive()));
    }

    /** The table's model: the stored one, or a new fit once the scenario is shown to be able to pay for it. */
    private SyntheticModel model(String scenario, String table, UtilityEstimate before) {
        TablePolicy policy = policies.table(table).orElseThrow();
        Dataset<Row> originals = this.originals.read(table);
        List<SampleColumn> columns = SampleColumns.of(policy, originals.schema());
        if (models.existing(policy).isEmpty()) {
            requireBudgetForFit(scenario, table, SyntheticModels.plannedLoss(policy, columns));
        }
        return models.model(policy, originals, columns, before);
    }

    /**
     * Refuses a fit the scenario's budget cannot pay, before it reads the originals: the same accounts the charge
     * after the fit takes from (the table's, which must exist, and its linked tables' that the scenario has).
     */
    private void requireBudgetForFit(String scenario, String table, PrivacyLoss planned) {
        Optional<SandboxException> shortfall = budgetShortfall(scenario, table, planned);
        if (shortfall.isPresent()) {
            throw shortfall.get();
        }
    }

    /** Why the scenario's budget cannot pay {@code planned} for a model of {@code table}, or empty when it can. */
    private Optional<SandboxException> budgetShortfall(String scenario, String table, PrivacyLoss planned) {
        boolean released = true;
        for (String member : linkedTables(table)) {
            Optional<BudgetStatus> status = budgets.status(new BudgetKey(scenario, member));
            if (released && status.isEmpty()) {
                return Optional.of(new SandboxException(ErrorCode.BUDGET_EXHAUSTED, "Scenario '" + scenario + "' has no privacy budget"
                        + " for table " + member + "; an admin must apply the scenario again", Map.of("scenario", scenario, "table", member)));
            }
            released = false;
            if (status.isPresent() && !status.get().spent().plus(planned).fits(status.get().lifetime())) {
                return Optional.of(new SandboxException(ErrorCode.BUDGET_EXHAUSTED, "The privacy budget of scenario '" + scenario
                        + "' for table " + member + " cannot pay for a synthetic model of " + table + " (epsilon "
                        + planned.epsilon() + (planned.delta() > 0 ? ", delta " + planned.delta() : "")
                        + "); refused before fitting. An admin may raise the scenario's budget or lower the table's sample epsilon",
                        Map.of("scenario", scenario, "table", member)));
            }
        }
        return Optional.empty();
    }

    private Sample sample(String keyName, Path location, Report report) {
        try {
            return new Sample(storage.read(engine.samples(), keyName, location), report, JSON.writeValueAsBytes(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the sample report could not be written", e);
        }
    }

    private void write(Dataset<Row> rows, String keyName, Path location) {
        try {
            storage.write(rows, keyName, location);
        } catch (IOException e) {
            throw new IllegalStateException("a sample could not be stored", e);
        }
    }

    /** Policy versions of the table and of the tables its sample is drawn after (linked parents). */
    private List<Integer> policyVersions(String table) {
        return linkGraph().lineage(table).stream().map(t -> policies.table(t).orElseThrow().version()).toList();
    }

    /** Content hashes of the table and of the tables its sample is drawn after (linked parents). */
    private List<String> dataVersions(String table) {
        return linkGraph().lineage(table).stream().map(t -> datasets.get(t).map(DatasetDescriptor::contentHash).orElse("")).toList();
    }

    /** The stratification of the root of the table's chain: what selects its people. */
    private String rootStratification(String table) {
        return linkGraph().chain(table).root().stratifyBy();
    }

    /**
     * Charges the model a synthetic sample is drawn from to the scenario's budget, before any row of it
     * leaves: once per scenario and fitted model (a refit is a new release), to the accounts of every table whose people the model
     * describes (the table and the tables linked to it by their privacy units).
     */
    private void chargeModel(Key key, TablePolicy policy, SyntheticModel model) {
        PrivacyCost cost = model.cost();
        double epsilon = cost.epsilon().doubleValue();
        PrivacyLoss loss = cost.delta() > 0 ? PrivacyLoss.thresholded(epsilon, cost.delta()) : PrivacyLoss.pure(epsilon);
        budgets.chargeOnce(key.scenario(), linkedTables(key.table()), loss, Charge.Purpose.SYNTHETIC_FIT,
                "synthetic-model:" + key.table() + ":v" + policy.version() + ":" + models.id(policy));
    }

    /** The table and every registered table linked to it through privacy-unit joins, either way. */
    private Set<String> linkedTables(String table) {
        return linkGraph().component(table);
    }

    /** The table whose privacy units this table's privacy unit references by a declared join, if any. */
    private Optional<String> parentOf(String table) {
        return linkGraph().parent(table);
    }

    /** The registered tables with a policy, as linking sees them: their units, strata and declared joins. */
    private LinkGraph linkGraph() {
        List<LinkGraph.Node> nodes = new ArrayList<>();
        for (DatasetDescriptor dataset : datasets.list()) {
            Optional<TablePolicy> policy = policies.table(dataset.name());
            Optional<ColumnPolicy> unit = policy.flatMap(p -> p.columns().stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).findFirst());
            if (unit.isEmpty()) {
                continue;
            }
            List<LinkGraph.Reference> references = policy.get().joins().stream()
                    .map(j -> new LinkGraph.Reference(j.column(), j.otherTable(), j.otherColumn())).toList();
            nodes.add(new LinkGraph.Node(dataset.name(), unit.get().name(), policy.get().samples().stratifyBy(), unit.get().mask(), references));
        }
        return new LinkGraph(nodes);
    }

    /** Share of privacy units in a masked sample: enough for the target number of people, or the linked parent's share. */
    private double fraction(String table, int depth) {
        Optional<String> parent = depth < 3 ? parentOf(table) : Optional.empty();
        if (parent.isPresent()) {
            return fraction(parent.get(), depth + 1);
        }
        long rows = datasets.get(table).orElseThrow().rows();
        // rows bound people from above: a small table is kept whole without counting its people
        long units = rows <= targetUnits ? rows : originals.read(table)
                .select(col(unitOf(policies.table(table).orElseThrow()))).distinct().count();
        return Math.min(1.0, (double) targetUnits / Math.max(1, units));
    }

    /** Fails closed unless the stored files of the table and of the tables its sample is drawn after are as written. */
    private void requireStored(String table) {
        for (String read : linkGraph().lineage(table)) {
            originals.requireStored(read);
        }
    }

    /** The scenario's secret key of a key epoch: pseudonyms and the selection of people are keyed with it. */
    private byte[] scenarioKey(String scenario, int epoch) {
        return scenarioKeys.key(scenario, epoch).clone();
    }

    /** 64 bits of the scenario's key, for the selection hash: other people per scenario, unpredictable without the key. */
    private long selectionSeed(byte[] scenarioKey) {
        byte[] label = "sample-selection/".getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(label, label.length + scenarioKey.length);
        System.arraycopy(scenarioKey, 0, input, label.length, scenarioKey.length);
        return java.nio.ByteBuffer.wrap(crypto.hash(input)).getLong();
    }

    private MaskingPolicy maskingPolicy(TablePolicy policy, Dataset<Row> originals, byte[] key) {
        MaskingPolicy.Builder builder = MaskingPolicy.builder(policy.table(), policy.version());
        for (var field : originals.schema().fields()) {
            Optional<ColumnPolicy> column = policy.column(field.name());
            if (column.isEmpty()) {
                continue;
            }
            ValueType type = SparkValueTypes.of(field.dataType()).orElseThrow();
            builder.column(new ColumnMasking(field.name(), type,
                    MaskingFunctions.create(column.get().mask(), key, crypto.hmac())));
        }
        return builder.build();
    }

    private static String unitOf(TablePolicy policy) {
        return policy.columns().stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT)
                .findFirst().orElseThrow().name();
    }
}
