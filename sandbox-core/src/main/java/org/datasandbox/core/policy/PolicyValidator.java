package org.datasandbox.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.policy.YamlLocations.Where;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * The validate stage, and the only place that knows a policy's rules: names, roles, bounds, buckets,
 * masks (checked against the column type, without any key), joins, output and sample settings, and,
 * when the tables are registered, that every column exists and has a role. Every refusal says where and
 * what to write instead.
 */
public final class PolicyValidator {
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern SCENARIO_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern COLUMN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");
    private static final String ROLES = "privacy_unit, direct_identifier, quasi_identifier, sensitive_attribute, "
            + "dimension or measure";

    /** The tables registered so far; a policy of an unregistered table is checked on its own. */
    @FunctionalInterface
    public interface RegisteredTables {
        RegisteredTables NONE = table -> Optional.empty();

        Optional<DatasetDescriptor> get(String table);
    }

    private final RegisteredTables registered;

    public PolicyValidator(RegisteredTables registered) {
        this.registered = registered;
    }

    // ---- tables ---------------------------------------------------------------------------------

    TablePolicy table(PolicyYaml.Document<PolicyFile.Table> document, String sha) throws PolicyException {
        PolicyFile.Table file = document.file();
        YamlLocations where = document.where();
        if (file.table() == null || !TABLE_NAME.matcher(file.table()).matches()) {
            throw refuse(where.at("/table"), "table must be a lower-case identifier (letters, digits and _)"
                    + suggestion(file.table()));
        }
        int k = minGroupSize(file.output(), where);
        if (file.columns() == null || file.columns().isEmpty()) {
            throw refuse(where.at("/columns"), "columns must list every column of the table");
        }
        List<ColumnPolicy> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int units = 0;
        for (int i = 0; i < file.columns().size(); i++) {
            Where at = where.at("/columns/" + i);
            ColumnPolicy column = column(file.columns().get(i), at, where, "/columns/" + i);
            if (!names.add(column.name())) {
                throw refuse(at, "column " + column.name() + " is listed twice: keep one entry");
            }
            units += column.role() == ColumnRole.PRIVACY_UNIT ? 1 : 0;
            columns.add(column);
        }
        if (units != 1) {
            throw refuse(where.at("/columns"), "exactly one column must have role privacy_unit (the key of a person), found "
                    + units);
        }
        List<JoinKey> joins = new ArrayList<>();
        List<PolicyFile.Join> joinFiles = file.joins() == null ? List.of() : file.joins();
        for (int i = 0; i < joinFiles.size(); i++) {
            joins.add(join(file.table(), joinFiles.get(i), names, where.at("/joins/" + i)));
        }
        TablePolicy policy = new TablePolicy(file.table(), 0, columns, joins, k, samples(file.samples(), columns, where), sha,
                Boolean.TRUE.equals(file.oneRowPerUnit()));
        Optional<DatasetDescriptor> dataset = registered.get(policy.table());
        if (dataset.isPresent()) {
            againstRegistered(policy, dataset.get(), where);
        }
        return policy;
    }

    private static ColumnPolicy column(PolicyFile.Column column, Where at, YamlLocations where, String pointer)
            throws PolicyException {
        if (column.name() == null || !COLUMN_NAME.matcher(column.name()).matches()) {
            throw refuse(where.at(pointer + "/name"), "column name must be a lower-case identifier, as the sandbox "
                    + "registers CSV headers" + suggestion(column.name()));
        }
        String name = column.name();
        if (column.role() == null) {
            throw refuse(at, "column " + name + " needs a role: " + ROLES);
        }
        Where bounded = where.at(pointer + "/bounds");
        Optional<Bounds> bounds = Optional.empty();
        if (column.bounds() != null) {
            if (column.bounds().size() != 2 || column.bounds().contains(null)) {
                throw refuse(bounded, "column " + name + ": bounds must be [lower, upper]");
            }
            try {
                bounds = Optional.of(new Bounds(column.bounds().get(0).doubleValue(), column.bounds().get(1).doubleValue()));
            } catch (IllegalArgumentException e) {
                throw refuse(bounded, "column " + name + ": " + e.getMessage());
            }
            if (column.role() != ColumnRole.MEASURE && column.role() != ColumnRole.QUASI_IDENTIFIER) {
                throw refuse(bounded, "column " + name + ": only measures and quasi-identifiers have bounds; remove them");
            }
        } else if (column.role() == ColumnRole.MEASURE) {
            throw refuse(at, "measure " + name + " needs bounds: [lower, upper]");
        }
        Optional<Bucketing> bucketing = Optional.empty();
        if (column.bucket() != null) {
            if (column.role() != ColumnRole.QUASI_IDENTIFIER && column.role() != ColumnRole.MEASURE) {
                throw refuse(where.at(pointer + "/bucket"),
                        "column " + name + ": only quasi-identifiers and measures (coarse bands) have buckets");
            }
            if (column.role() == ColumnRole.MEASURE && (column.bucket().dateUnit() != null || column.bucket().width() == null)) {
                throw refuse(where.at(pointer + "/bucket"), "measure " + name
                        + ": a measure's bucket is a band width of numbers, {width: w}, with no date_unit");
            }
            bucketing = Optional.of(bucket(name, column.bucket(), where.at(pointer + "/bucket")));
        }
        Where masked = where.at(pointer + "/mask");
        MaskingSpec mask = mask(name, column.role(), bounds, column.mask(), masked);
        if (column.type() != null) {
            checkMask(name, mask, column.type(), masked);
        }
        String classification = column.classification() == null ? "internal" : column.classification();
        return new ColumnPolicy(name, Optional.ofNullable(column.type()), column.role(), bounds, bucketing, mask,
                classification, at.line(), values(name, column, where.at(pointer + "/values")));
    }

    /** The public values of a category column: listed once each, for roles whose values are categories. */
    private static List<String> values(String name, PolicyFile.Column column, Where at) throws PolicyException {
        if (column.values() == null) {
            return List.of();
        }
        boolean categories = column.role() == ColumnRole.DIMENSION || column.role() == ColumnRole.QUASI_IDENTIFIER
                || column.role() == ColumnRole.SENSITIVE_ATTRIBUTE;
        if (!categories || column.bounds() != null) {
            throw refuse(at, "column " + name + ": only category columns without bounds list their values; remove values");
        }
        if (column.values().isEmpty() || column.values().size() > 1000 || column.values().contains(null)
                || column.values().stream().distinct().count() != column.values().size()) {
            throw refuse(at, "column " + name + ": values must list 1 to 1000 distinct values");
        }
        return List.copyOf(column.values());
    }

    private static Bucketing bucket(String name, PolicyFile.Bucket bucket, Where at) throws PolicyException {
        int width = bucket.width() == null ? 10 : bucket.width();
        if (width < 2) {
            throw refuse(at, "column " + name + ": bucket width must be >= 2");
        }
        Bucketing.DateUnit unit = Bucketing.DateUnit.YEAR;
        if (bucket.dateUnit() != null) {
            try {
                unit = Bucketing.DateUnit.valueOf(bucket.dateUnit().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw refuse(at, "column " + name + ": date_unit must be month, quarter, year or decade");
            }
        }
        return new Bucketing(width, unit);
    }

    /**
     * The sample mask: as written, or the protective default of the role. Raw identifiers are never kept;
     * a sensitive attribute or a measure is kept only with the admin's written reason ({@code {function:
     * keep, reason: ...}}), which the ledger records with the policy. By default sensitive attributes are
     * nulled and measures rounded to about a hundredth of their bounds.
     */
    private static MaskingSpec mask(String name, ColumnRole role, Optional<Bounds> bounds, JsonNode node, Where at)
            throws PolicyException {
        MaskingSpec spec;
        if (node == null || node.isNull()) {
            spec = defaultMask(role, bounds);
        } else if (node.isTextual()) {
            spec = MaskingSpec.of(node.asText());
        } else if (node.isObject() && node.hasNonNull("function")) {
            Map<String, String> params = new HashMap<>();
            node.properties().forEach(f -> {
                if (!f.getKey().equals("function")) {
                    params.put(f.getKey(), f.getValue().asText());
                }
            });
            spec = new MaskingSpec(node.get("function").asText(), params);
        } else {
            throw refuse(at, "column " + name + ": mask must be a function name or {function: ..., ...}");
        }
        if (!MaskingFunctions.NAMES.contains(spec.function())) {
            throw refuse(at, "column " + name + ": unknown masking function '" + spec.function() + "'; known: "
                    + MaskingFunctions.NAMES.stream().sorted().collect(Collectors.joining(", ")));
        }
        boolean decided = role == ColumnRole.SENSITIVE_ATTRIBUTE || role == ColumnRole.MEASURE;
        if (decided && spec.function().equals("keep") && spec.params().getOrDefault("reason", "").isBlank()) {
            throw refuse(at, "column " + name + ": a " + role.name().toLowerCase(Locale.ROOT)
                    + " is kept unmasked in samples only with a written reason: {function: keep, reason: ...}");
        }
        boolean identifying = role == ColumnRole.PRIVACY_UNIT || role == ColumnRole.DIRECT_IDENTIFIER
                || role == ColumnRole.QUASI_IDENTIFIER;
        if (identifying && spec.function().equals("keep")) {
            throw refuse(at, "column " + name + ": a " + role.name().toLowerCase(Locale.ROOT)
                    + " cannot be kept unmasked in samples; choose a mask or leave mask out for the safe default");
        }
        try {
            MaskingFunctions.check(spec); // the column type is checked where it is known
        } catch (MaskingException e) {
            throw refuse(at, "column " + name + ": " + e.getMessage());
        }
        return spec;
    }

    static MaskingSpec defaultMask(ColumnRole role, Optional<Bounds> bounds) {
        return switch (role) {
            case PRIVACY_UNIT -> MaskingSpec.of("pseudonym");
            case DIRECT_IDENTIFIER, QUASI_IDENTIFIER, SENSITIVE_ATTRIBUTE -> MaskingSpec.of("nullify");
            case MEASURE -> bounds.map(PolicyValidator::measureDefault).orElse(MaskingSpec.of("nullify"));
            default -> MaskingSpec.of("keep");
        };
    }

    /**
     * A measure's default sample mask: multiples of the "nice" step (1, 2 or 5 times a power of ten) next
     * above a hundredth of its bounds, as {@code band} (integral steps) or {@code round}.
     */
    static MaskingSpec measureDefault(Bounds bounds) {
        double span = bounds.upper() - bounds.lower();
        double step = Math.pow(10, Math.floor(Math.log10(span / 100)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (step * factor >= span / 100 * (1 - 1e-9)) {
                step = step * factor;
                break;
            }
        }
        return step >= 2 && step == Math.rint(step)
                ? MaskingSpec.of("band", "width", Long.toString((long) step))
                : MaskingSpec.of("round", "step", BigDecimal.valueOf(step).stripTrailingZeros().toPlainString());
    }

    private static void checkMask(String name, MaskingSpec mask, ColumnType type, Where at) throws PolicyException {
        try {
            MaskingFunctions.outputType(mask, valueType(type));
        } catch (MaskingException e) {
            throw refuse(at, "column " + name + " (" + type.name().toLowerCase(Locale.ROOT) + "): " + e.getMessage());
        }
    }

    private static JoinKey join(String table, PolicyFile.Join join, Set<String> columns, Where at) throws PolicyException {
        if (join.column() == null || !columns.contains(join.column())) {
            throw refuse(at, "join column must be a column of " + table + ": one of " + String.join(", ", columns.stream().sorted().toList()));
        }
        String target = join.references() == null ? "" : join.references();
        String[] parts = target.split("\\.");
        if (parts.length != 2 || !TABLE_NAME.matcher(parts[0]).matches() || !COLUMN_NAME.matcher(parts[1]).matches()) {
            throw refuse(at, "references must be table.column, in lower case");
        }
        return new JoinKey(table, join.column(), parts[0], parts[1]);
    }

    private static SamplePolicy samples(PolicyFile.Samples samples, List<ColumnPolicy> columns, YamlLocations where)
            throws PolicyException {
        if (samples == null) {
            return SamplePolicy.DEFAULT;
        }
        int k = samples.kAnonymity() == null ? SamplePolicy.DEFAULT.kAnonymity() : samples.kAnonymity();
        if (k < 2 || k > 100) {
            throw refuse(where.at("/samples/k_anonymity"), "k_anonymity must be 2 to 100");
        }
        int l = samples.lDiversity() == null ? SamplePolicy.DEFAULT.lDiversity() : samples.lDiversity();
        if (l < 1 || l > k) {
            throw refuse(where.at("/samples/l_diversity"), "l_diversity must be 1 to k_anonymity (" + k + ")");
        }
        BigDecimal epsilon = samples.epsilon() == null ? SamplePolicy.DEFAULT.epsilon() : samples.epsilon();
        if (epsilon.signum() <= 0 || epsilon.compareTo(BigDecimal.TEN) > 0 || epsilon.scale() > 6) {
            throw refuse(where.at("/samples/epsilon"), "epsilon must be above 0 and at most 10, with at most 6 decimals");
        }
        String stratum = samples.stratifyBy() == null ? "" : samples.stratifyBy().trim();
        if (!stratum.isEmpty()) {
            Where at = where.at("/samples/stratify_by");
            ColumnPolicy column = columns.stream().filter(c -> c.name().equals(stratum)).findFirst()
                    .orElseThrow(() -> refuse(at, "stratify_by names no column of the table: " + stratum));
            if (column.role() != ColumnRole.DIMENSION) {
                // every stratum keeps at least one person: strata of rare values would single people out
                throw refuse(at, "stratify_by must be a dimension column, not a "
                        + column.role().name().toLowerCase(Locale.ROOT));
            }
        }
        return new SamplePolicy(k, l, epsilon, stratum);
    }

    /** A policy of a registered table names exactly its columns, with types and masks that fit them. */
    private static void againstRegistered(TablePolicy policy, DatasetDescriptor dataset, YamlLocations where)
            throws PolicyException {
        for (int i = 0; i < policy.columns().size(); i++) {
            ColumnPolicy column = policy.columns().get(i);
            Where at = where.at("/columns/" + i);
            Optional<DatasetColumn> stored = dataset.column(column.name());
            if (stored.isEmpty()) {
                throw refuse(where.at("/columns/" + i + "/name"), "unknown column: " + policy.table() + " has no column "
                        + column.name() + "; its columns are " + columnNames(dataset));
            }
            ColumnType type = stored.get().type();
            if (column.type().isPresent() && column.type().get() != type) {
                throw refuse(where.at("/columns/" + i + "/type"), "column " + column.name() + " is declared "
                        + column.type().get().name().toLowerCase(Locale.ROOT) + " but registered as "
                        + type.name().toLowerCase(Locale.ROOT) + ": write type: " + type.name().toLowerCase(Locale.ROOT));
            }
            boolean numeric = type.isNumeric();
            if (column.bounds().isPresent() && !numeric) {
                throw refuse(at, "column " + column.name() + " is not numeric and cannot have bounds");
            }
            if (column.bucketing().isPresent() && !(numeric || type == ColumnType.DATE)) {
                throw refuse(at, "column " + column.name() + " is neither numeric nor a date and cannot be bucketed");
            }
            if (column.role() == ColumnRole.MEASURE && !numeric) {
                throw refuse(at, "measure " + column.name() + " is not numeric: make it a dimension or an identifier");
            }
            checkMask(column.name(), column.mask(), type, where.at("/columns/" + i + "/mask"));
        }
        for (DatasetColumn column : dataset.columns()) {
            if (policy.column(column.name()).isEmpty()) {
                throw refuse(where.at("/columns"), "column " + column.name() + " of " + policy.table()
                        + " has no role: every column needs an entry such as {name: " + column.name() + ", role: ...}");
            }
        }
    }

    // ---- scenarios ------------------------------------------------------------------------------

    ScenarioPolicy scenario(PolicyYaml.Document<PolicyFile.Scenario> document, String sha) throws PolicyException {
        PolicyFile.Scenario file = document.file();
        YamlLocations where = document.where();
        if (file.id() == null || !SCENARIO_ID.matcher(file.id()).matches()) {
            throw refuse(where.at("/id"), "id must be lower-case letters, digits and '-'");
        }
        if (file.purpose() == null || file.purpose().isBlank()) {
            throw refuse(where.at("/id"), "a scenario states its purpose: add purpose: ...");
        }
        if (file.developers() == null || file.developers().isEmpty() || file.developers().stream().anyMatch(
                d -> d == null || d.isBlank())) {
            throw refuse(where.at("/developers"), "developers must list real names");
        }
        if (file.grants() == null || file.grants().isEmpty()) {
            throw refuse(where.at("/grants"), "grants must list at least one table");
        }
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> grant : file.grants().entrySet()) {
            String table = grant.getKey();
            Where at = where.at("/grants/" + table);
            if (!TABLE_NAME.matcher(table).matches()) {
                throw refuse(at, "grants: table names are lower-case identifiers" + suggestion(table));
            }
            List<String> columns = grant.getValue() == null ? List.of() : grant.getValue();
            if (columns.isEmpty() || columns.stream().anyMatch(c -> c == null
                    || !(c.equals("*") || COLUMN_NAME.matcher(c).matches()))) {
                throw refuse(at, "grants of " + table + " must be [\"*\"] or lower-case column names");
            }
            // a scenario may grant tables not registered yet: they exist for its queries once in place
            Optional<DatasetDescriptor> dataset = registered.get(table);
            for (String column : columns) {
                if (dataset.isPresent() && !column.equals("*") && dataset.get().column(column).isEmpty()) {
                    throw refuse(at, "unknown column: granted column " + table + "." + column + " does not exist; "
                            + table + " has " + columnNames(dataset.get()));
                }
            }
            grants.put(table, Set.copyOf(columns));
        }
        LifetimeBudget budget = budget(file.budget(), where);
        boolean reviewMode = file.output() != null && file.output().mode() != null
                && file.output().mode().equalsIgnoreCase("review");
        OutputMode mode = reviewMode ? OutputMode.THRESHOLD : scenarioMode(file.output(), where);
        ReviewPolicy review = reviewPolicy(file.output(), mode, reviewMode, where);
        java.time.LocalDate expires = expires(file.expires(), where);
        if (mode == OutputMode.DP) {
            return new ScenarioPolicy(file.id(), file.purpose(), file.developers(), grants, 10,
                    Scenario.SmallGroups.SUPPRESS, budget, 0, sha, OutputMode.DP, dpOutput(file.output(), budget, where),
                    expires);
        }
        if (file.output() != null && file.output().hasDpSettings()) {
            throw refuse(where.at("/output"), "mechanism, epsilon, delta, max_groups_per_unit and max_rows_per_group apply to "
                    + "mode: dp only; remove them, or write mode: dp");
        }
        return new ScenarioPolicy(file.id(), file.purpose(), file.developers(), grants,
                minGroupSize(file.output(), where, reviewMode), smallGroups(file.output(), where), budget, 0, sha,
                OutputMode.THRESHOLD, DpOutput.DEFAULT, review, expires);
    }

    /**
     * Review settings: {@code reviewers} (1 or 2) and {@code dominance: {p, n, k}} for review and threshold mode
     * (threshold mode holds outputs that difference an earlier release); DP mode holds nothing, so refuses them.
     */
    private static ReviewPolicy reviewPolicy(PolicyFile.Output output, OutputMode mode, boolean reviewMode,
                                             YamlLocations where) throws PolicyException {
        if (output == null || (output.reviewers() == null && output.dominance() == null)) {
            return ReviewPolicy.of(reviewMode, ReviewPolicy.DEFAULT);
        }
        if (mode == OutputMode.DP) {
            throw refuse(where.at(output.reviewers() != null ? "/output/reviewers" : "/output/dominance"),
                    "reviewers and dominance apply to mode: review and threshold; DP releases are not reviewed: remove them");
        }
        int reviewers = output.reviewers() == null ? 1 : output.reviewers();
        if (reviewers < 1 || reviewers > 2) {
            throw refuse(where.at("/output/reviewers"), "reviewers must be 1 or 2 (two independent reviewers)");
        }
        PolicyFile.Dominance dominance = output.dominance();
        int p = dominance == null || dominance.p() == null ? ReviewPolicy.DEFAULT.pPercent() : dominance.p();
        int n = dominance == null || dominance.n() == null ? ReviewPolicy.DEFAULT.dominanceN() : dominance.n();
        int k = dominance == null || dominance.k() == null ? ReviewPolicy.DEFAULT.dominanceK() : dominance.k();
        if (p < 1 || p > 100) {
            throw refuse(where.at("/output/dominance/p"), "dominance p (the p% rule) must be 1 to 100; the default is 10");
        }
        if (n < 1 || n > 10) {
            throw refuse(where.at("/output/dominance/n"), "dominance n (the largest contributors) must be 1 to 10; the default is 2");
        }
        if (k < 1 || k > 100) {
            throw refuse(where.at("/output/dominance/k"), "dominance k (their share of the total, in %) must be 1 to 100; "
                    + "the default is 85");
        }
        return new ReviewPolicy(reviewMode, reviewers, p, n, k);
    }

    /** The stated end of a scenario's term, a date; whether it is within 3 years is checked when it is applied. */
    private static java.time.LocalDate expires(String expires, YamlLocations where) throws PolicyException {
        if (expires == null) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(expires);
        } catch (java.time.format.DateTimeParseException e) {
            throw refuse(where.at("/expires"), "expires must be a date such as 2027-06-30 (the first day the scenario "
                    + "is no longer in force), at most 3 years after it is applied");
        }
    }

    /**
     * A scenario's output mode: {@code threshold} or {@code dp}. A scenario that names none is read as threshold,
     * what every scenario meant before DP mode existed; scenarios the sandbox drafts name {@code dp}.
     */
    private static OutputMode scenarioMode(PolicyFile.Output output, YamlLocations where) throws PolicyException {
        if (output == null || output.mode() == null || output.mode().equalsIgnoreCase("threshold")) {
            return OutputMode.THRESHOLD;
        }
        if (output.mode().equalsIgnoreCase("dp")) {
            return OutputMode.DP;
        }
        throw refuse(where.at("/output/mode"), "output mode '" + output.mode() + "' does not exist; write dp (noisy "
                + "aggregates under a lifetime budget), threshold (k people behind every released group) or review "
                + "(threshold, and every output waits for a reviewer)");
    }

    /**
     * The per-query parameters of a DP scenario: epsilon (default 1) and delta (default 1e-6, spent only by
     * partition selection and, with the Gaussian, the values) of one query, each within the scenario's lifetime
     * budget, the contribution bounds (default one group and one row per unit) and the mechanism (default auto).
     */
    private static DpOutput dpOutput(PolicyFile.Output output, LifetimeBudget budget, YamlLocations where)
            throws PolicyException {
        if (output.k() != null || output.smallGroups() != null) {
            throw refuse(where.at(output.k() != null ? "/output/k" : "/output/small_groups"), "k and small_groups apply "
                    + "to mode: threshold; DP mode releases noisy values instead: remove them");
        }
        BigDecimal epsilon = output.epsilon() == null ? DpOutput.DEFAULT.epsilon() : output.epsilon();
        if (epsilon.signum() <= 0 || epsilon.doubleValue() > budget.epsilon() || epsilon.stripTrailingZeros().scale() > 6) {
            throw refuse(where.at("/output/epsilon"), "epsilon (per query) must be above 0, at most the budget's epsilon ("
                    + budget.epsilon() + "), with at most 6 decimals");
        }
        double delta = output.delta() == null ? DpOutput.DEFAULT.delta() : output.delta().doubleValue();
        if (!(delta >= 0 && delta <= budget.delta())) {
            throw refuse(where.at("/output/delta"), "delta (per query) must be at least 0 and at most the budget's delta ("
                    + budget.delta() + "); write 1e-6, say, or 0 to release only groups with public values");
        }
        int groups = output.maxGroupsPerUnit() == null ? 1 : output.maxGroupsPerUnit();
        if (groups < 1 || groups > 1000) {
            throw refuse(where.at("/output/max_groups_per_unit"), "max_groups_per_unit must be 1 to 1000");
        }
        int rows = output.maxRowsPerGroup() == null ? 1 : output.maxRowsPerGroup();
        if (rows < 1 || rows > 1000) {
            throw refuse(where.at("/output/max_rows_per_group"), "max_rows_per_group must be 1 to 1000");
        }
        NoiseChoice noise = output.mechanism() == null ? NoiseChoice.AUTO
                : NoiseChoice.named(output.mechanism()).orElseThrow(() -> refuse(where.at("/output/mechanism"),
                        "mechanism must be auto (the default: the smaller noise per query), laplace or gaussian"));
        if (noise == NoiseChoice.GAUSSIAN && delta == 0) {
            throw refuse(where.at("/output/mechanism"), "the Gaussian mechanism needs delta > 0; write delta: 1e-6, "
                    + "say, or mechanism: laplace");
        }
        return new DpOutput(epsilon.stripTrailingZeros(), delta, new ContributionBounds(groups, rows), noise);
    }

    /** The lifetime budget of each granted table; without one, epsilon 10 and delta 1e-5. */
    private static LifetimeBudget budget(PolicyFile.Budget budget, YamlLocations where) throws PolicyException {
        if (budget == null) {
            return ScenarioPolicy.DEFAULT_BUDGET;
        }
        double epsilon = budget.epsilon() == null ? ScenarioPolicy.DEFAULT_BUDGET.epsilon() : budget.epsilon();
        double delta = budget.delta() == null ? ScenarioPolicy.DEFAULT_BUDGET.delta() : budget.delta();
        if (!(epsilon > 0 && epsilon <= 100)) {
            throw refuse(where.at("/budget/epsilon"), "budget epsilon must be > 0 and at most 100");
        }
        if (!(delta > 0 && delta <= 1e-3)) {
            throw refuse(where.at("/budget/delta"), "budget delta must be above 0 and at most 0.001 (write 1e-5, say)");
        }
        return new LifetimeBudget(epsilon, delta);
    }

    private static int minGroupSize(PolicyFile.Output output, YamlLocations where) throws PolicyException {
        if (output != null && (output.reviewers() != null || output.dominance() != null)) {
            throw refuse(where.at("/output"), "reviewers and dominance are set per scenario, under its output; remove "
                    + "them here");
        }
        return minGroupSize(output, where, false);
    }

    /** @param reviewMode a scenario in review mode: its k thresholds what reviewers are asked to release */
    private static int minGroupSize(PolicyFile.Output output, YamlLocations where, boolean reviewMode)
            throws PolicyException {
        if (output == null) {
            return 10;
        }
        if (output.mode() != null && !output.mode().equalsIgnoreCase("threshold") && !reviewMode) {
            throw refuse(where.at("/output/mode"), "a table policy's output mode can only be threshold (its k); DP mode "
                    + "is set per scenario: write output: {mode: dp} in the scenario");
        }
        if (output.hasDpSettings()) {
            throw refuse(where.at("/output"), "epsilon, delta and contribution bounds are set per scenario, under its "
                    + "output: {mode: dp}; remove them here");
        }
        int k = output.k() == null ? 10 : output.k();
        if (k < 2) {
            throw refuse(where.at("/output/k"), "k must be >= 2");
        }
        return k;
    }

    private static Scenario.SmallGroups smallGroups(PolicyFile.Output output, YamlLocations where) throws PolicyException {
        if (output == null || output.smallGroups() == null) {
            return Scenario.SmallGroups.SUPPRESS;
        }
        try {
            return Scenario.SmallGroups.valueOf(output.smallGroups().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw refuse(where.at("/output/small_groups"), "small_groups must be suppress or merge");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static PolicyException refuse(Where at, String reason) {
        return new PolicyException(at.line(), at.column(), reason);
    }

    /** For a name in the wrong case or with other characters: exactly what to write instead. */
    private static String suggestion(String written) {
        if (written == null || written.isBlank()) {
            return "";
        }
        String fixed = written.strip().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        String lower = written.strip().toLowerCase(Locale.ROOT);
        if (COLUMN_NAME.matcher(lower).matches()) {
            // CSV headers are registered in lower case, without changing anything else
            return "; names are stored in lower case: write " + lower;
        }
        return fixed.isEmpty() || !COLUMN_NAME.matcher(fixed).matches() ? "" : "; for example " + fixed;
    }

    private static String columnNames(DatasetDescriptor dataset) {
        return dataset.columns().stream().map(DatasetColumn::name).collect(Collectors.joining(", "));
    }

    private static ValueType valueType(ColumnType type) {
        return switch (type) {
            case STRING -> ValueType.STRING;
            case INTEGER -> ValueType.INTEGER;
            case BIGINT -> ValueType.LONG;
            case DOUBLE -> ValueType.DOUBLE;
            case DATE -> ValueType.DATE;
            case BOOLEAN -> ValueType.BOOLEAN;
            case TIMESTAMP -> ValueType.TIMESTAMP;
        };
    }
}
