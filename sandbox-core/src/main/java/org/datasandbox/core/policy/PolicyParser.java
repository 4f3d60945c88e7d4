package org.datasandbox.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * Parses table policies and scenarios from YAML. Structure errors come with Jackson's line and column;
 * rule errors with the line of the offending column entry.
 */
public final class PolicyParser {
    public static final String TABLE_KIND = "table-policy";
    public static final String SCENARIO_KIND = "scenario";
    private static final int MAX_POLICY_CHARS = 256 * 1024;
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern SCENARIO_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern COLUMN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private final CryptoProfile crypto;

    public PolicyParser(CryptoProfile crypto) {
        this.crypto = crypto;
    }

    /** A parsed policy document: exactly one of the two is present. */
    public record Parsed(Optional<TablePolicy> table, Optional<ScenarioPolicy> scenario) {
    }

    public Parsed parse(String text) throws PolicyException {
        if (text == null || text.isBlank()) {
            throw new PolicyException(0, 0, "the policy is empty");
        }
        if (text.length() > MAX_POLICY_CHARS) {
            throw new PolicyException(0, 0, "the policy is larger than " + MAX_POLICY_CHARS + " characters");
        }
        String sha = HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
        String kind = kindOf(text);
        return switch (kind) {
            case TABLE_KIND -> new Parsed(Optional.of(table(text, sha)), Optional.empty());
            case SCENARIO_KIND -> new Parsed(Optional.empty(), Optional.of(scenario(text, sha)));
            default -> throw new PolicyException(1, 1, "kind must be '" + TABLE_KIND + "' or '" + SCENARIO_KIND + "'");
        };
    }

    // ---- the file formats -------------------------------------------------------------------

    record OutputFile(String mode, Integer k, String smallGroups) {
    }

    record BucketFile(Integer width, String dateUnit) {
    }

    record ColumnFile(String name, ColumnType type, ColumnRole role, List<Double> bounds, BucketFile bucket,
                      JsonNode mask, String classification) {
    }

    record JoinFile(String column, String references) {
    }

    record TableFile(String kind, String table, String description, OutputFile output, List<ColumnFile> columns,
                     List<JoinFile> joins, SamplesFile samples) {
    }

    record SamplesFile(Integer kAnonymity, Integer lDiversity, BigDecimal epsilon, String stratifyBy) {
    }

    record ScenarioFile(String kind, String id, String purpose, List<String> developers,
                        LinkedHashMap<String, List<String>> grants, OutputFile output) {
    }

    // ---- tables ---------------------------------------------------------------------------------

    private TablePolicy table(String text, String sha) throws PolicyException {
        TableFile file = bind(text, TableFile.class);
        Map<Integer, Integer> columnLines = elementLines(text, "columns");
        if (file.table() == null || !TABLE_NAME.matcher(file.table()).matches()) {
            throw new PolicyException(lineOfKey(text, "table"), 1, "table must be a lower-case identifier");
        }
        int k = minGroupSize(file.output(), text);
        if (file.columns() == null || file.columns().isEmpty()) {
            throw new PolicyException(lineOfKey(text, "columns"), 1, "columns must list every column of the table");
        }
        List<ColumnPolicy> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int units = 0;
        for (int i = 0; i < file.columns().size(); i++) {
            ColumnFile column = file.columns().get(i);
            int line = columnLines.getOrDefault(i, 0);
            ColumnPolicy parsed = column(column, line);
            if (!names.add(parsed.name())) {
                throw new PolicyException(line, 1, "column " + parsed.name() + " is listed twice");
            }
            units += parsed.role() == ColumnRole.PRIVACY_UNIT ? 1 : 0;
            columns.add(parsed);
        }
        if (units != 1) {
            throw new PolicyException(lineOfKey(text, "columns"), 1,
                    "exactly one column must have role privacy_unit, found " + units);
        }
        List<JoinKey> joins = new ArrayList<>();
        Map<Integer, Integer> joinLines = elementLines(text, "joins");
        List<JoinFile> joinFiles = file.joins() == null ? List.of() : file.joins();
        for (int i = 0; i < joinFiles.size(); i++) {
            joins.add(join(file.table(), joinFiles.get(i), names, joinLines.getOrDefault(i, 0)));
        }
        return new TablePolicy(file.table(), 0, columns, joins, k, samples(file.samples(), columns, text), sha);
    }

    private static ColumnPolicy column(ColumnFile column, int line) throws PolicyException {
        if (column.name() == null || !COLUMN_NAME.matcher(column.name()).matches()) {
            throw new PolicyException(line, 1, "column name must be a lower-case identifier");
        }
        String name = column.name();
        if (column.role() == null) {
            throw new PolicyException(line, 1, "column " + name + " needs a role: "
                    + "privacy_unit, direct_identifier, quasi_identifier, sensitive_attribute, dimension or measure");
        }
        Optional<Bounds> bounds = Optional.empty();
        if (column.bounds() != null) {
            if (column.bounds().size() != 2 || column.bounds().contains(null)) {
                throw new PolicyException(line, 1, "column " + name + ": bounds must be [lower, upper]");
            }
            try {
                bounds = Optional.of(new Bounds(column.bounds().get(0), column.bounds().get(1)));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(line, 1, "column " + name + ": " + e.getMessage());
            }
            if (column.role() != ColumnRole.MEASURE && column.role() != ColumnRole.QUASI_IDENTIFIER) {
                throw new PolicyException(line, 1, "column " + name + ": only measures and quasi-identifiers have bounds");
            }
        } else if (column.role() == ColumnRole.MEASURE) {
            throw new PolicyException(line, 1, "measure " + name + " needs bounds: [lower, upper]");
        }
        Optional<Bucketing> bucketing = Optional.empty();
        if (column.bucket() != null) {
            if (column.role() != ColumnRole.QUASI_IDENTIFIER) {
                throw new PolicyException(line, 1, "column " + name + ": only quasi-identifiers have buckets");
            }
            bucketing = Optional.of(bucket(name, column.bucket(), line));
        }
        MaskingSpec mask = mask(name, column.role(), bounds, column.mask(), line);
        String classification = column.classification() == null ? "internal" : column.classification();
        return new ColumnPolicy(name, Optional.ofNullable(column.type()), column.role(), bounds, bucketing, mask,
                classification, line);
    }

    private static Bucketing bucket(String name, BucketFile bucket, int line) throws PolicyException {
        int width = bucket.width() == null ? 10 : bucket.width();
        if (width < 2) {
            throw new PolicyException(line, 1, "column " + name + ": bucket width must be >= 2");
        }
        Bucketing.DateUnit unit = Bucketing.DateUnit.YEAR;
        if (bucket.dateUnit() != null) {
            try {
                unit = Bucketing.DateUnit.valueOf(bucket.dateUnit().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(line, 1, "column " + name + ": date_unit must be month, quarter, year or decade");
            }
        }
        return new Bucketing(width, unit);
    }

    /**
     * The sample mask: as written, or the protective default of the role. Raw identifiers are never kept;
     * a sensitive attribute or a measure is kept only with the admin's written reason ({@code {function:
     * keep, reason: ...}}), which the policy carries into the ledger. By default sensitive attributes are
     * nulled and measures rounded to about a hundredth of their bounds.
     */
    private static MaskingSpec mask(String name, ColumnRole role, Optional<Bounds> bounds, JsonNode node, int line)
            throws PolicyException {
        MaskingSpec spec;
        if (node == null || node.isNull()) {
            spec = switch (role) {
                case PRIVACY_UNIT -> MaskingSpec.of("pseudonym");
                case DIRECT_IDENTIFIER, QUASI_IDENTIFIER, SENSITIVE_ATTRIBUTE -> MaskingSpec.of("nullify");
                case MEASURE -> bounds.map(PolicyParser::measureDefault).orElse(MaskingSpec.of("nullify"));
                default -> MaskingSpec.of("keep");
            };
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
            throw new PolicyException(line, 1, "column " + name + ": mask must be a function name or {function: ..., ...}");
        }
        boolean decided = role == ColumnRole.SENSITIVE_ATTRIBUTE || role == ColumnRole.MEASURE;
        if (decided && spec.function().equals("keep") && spec.params().getOrDefault("reason", "").isBlank()) {
            throw new PolicyException(line, 1, "column " + name + ": a " + role.name().toLowerCase(Locale.ROOT)
                    + " is kept unmasked in samples only with a written reason: {function: keep, reason: ...}");
        }
        if (!MaskingFunctions.NAMES.contains(spec.function())) {
            throw new PolicyException(line, 1, "column " + name + ": unknown masking function '" + spec.function() + "'");
        }
        boolean identifying = role == ColumnRole.PRIVACY_UNIT || role == ColumnRole.DIRECT_IDENTIFIER
                || role == ColumnRole.QUASI_IDENTIFIER;
        if (identifying && spec.function().equals("keep")) {
            throw new PolicyException(line, 1, "column " + name + ": a " + role.name().toLowerCase(Locale.ROOT)
                    + " cannot be kept unmasked in samples");
        }
        try {
            MaskingFunctions.create(spec, new byte[16], org.datasandbox.masking.function.KeyedPseudonym.Algorithm.SM3);
        } catch (MaskingException e) {
            throw new PolicyException(line, 1, "column " + name + ": " + e.getMessage());
        }
        return spec;
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
                : MaskingSpec.of("round", "step", java.math.BigDecimal.valueOf(step).stripTrailingZeros().toPlainString());
    }

    private static JoinKey join(String table, JoinFile join, Set<String> columns, int line) throws PolicyException {
        if (join.column() == null || !columns.contains(join.column())) {
            throw new PolicyException(line, 1, "join column must be a column of " + table);
        }
        String target = join.references() == null ? "" : join.references();
        String[] parts = target.split("\\.");
        if (parts.length != 2 || !TABLE_NAME.matcher(parts[0]).matches() || !COLUMN_NAME.matcher(parts[1]).matches()) {
            throw new PolicyException(line, 1, "references must be table.column");
        }
        return new JoinKey(table, join.column(), parts[0], parts[1]);
    }

    // ---- scenarios ------------------------------------------------------------------------------

    private ScenarioPolicy scenario(String text, String sha) throws PolicyException {
        ScenarioFile file = bind(text, ScenarioFile.class);
        if (file.id() == null || !SCENARIO_ID.matcher(file.id()).matches()) {
            throw new PolicyException(lineOfKey(text, "id"), 1, "id must be lower-case letters, digits and '-'");
        }
        if (file.purpose() == null || file.purpose().isBlank()) {
            throw new PolicyException(lineOfKey(text, "id"), 1, "a scenario states its purpose");
        }
        if (file.developers() == null || file.developers().isEmpty() || file.developers().stream().anyMatch(
                d -> d == null || d.isBlank())) {
            throw new PolicyException(lineOfKey(text, "developers"), 1, "developers must list real names");
        }
        if (file.grants() == null || file.grants().isEmpty()) {
            throw new PolicyException(lineOfKey(text, "grants"), 1, "grants must list at least one table");
        }
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> grant : file.grants().entrySet()) {
            int line = lineOfKey(text, grant.getKey());
            if (!TABLE_NAME.matcher(grant.getKey()).matches()) {
                throw new PolicyException(line, 1, "grants: table names are lower-case identifiers");
            }
            List<String> columns = grant.getValue() == null ? List.of() : grant.getValue();
            if (columns.isEmpty() || columns.stream().anyMatch(c -> c == null
                    || !(c.equals("*") || COLUMN_NAME.matcher(c).matches()))) {
                throw new PolicyException(line, 1, "grants of " + grant.getKey() + " must be [\"*\"] or column names");
            }
            grants.put(grant.getKey(), Set.copyOf(columns));
        }
        return new ScenarioPolicy(file.id(), file.purpose(), file.developers(), grants,
                minGroupSize(file.output(), text), smallGroups(file.output(), text), 0, sha);
    }

    private static SamplePolicy samples(SamplesFile samples, List<ColumnPolicy> columns, String text) throws PolicyException {
        if (samples == null) {
            return SamplePolicy.DEFAULT;
        }
        int k = samples.kAnonymity() == null ? SamplePolicy.DEFAULT.kAnonymity() : samples.kAnonymity();
        if (k < 2 || k > 100) {
            throw new PolicyException(lineOfKey(text, "k_anonymity"), 1, "k_anonymity must be 2 to 100");
        }
        int l = samples.lDiversity() == null ? SamplePolicy.DEFAULT.lDiversity() : samples.lDiversity();
        if (l < 1 || l > k) {
            throw new PolicyException(lineOfKey(text, "l_diversity"), 1, "l_diversity must be 1 to k_anonymity");
        }
        BigDecimal epsilon = samples.epsilon() == null ? SamplePolicy.DEFAULT.epsilon() : samples.epsilon();
        if (epsilon.signum() <= 0 || epsilon.compareTo(BigDecimal.TEN) > 0 || epsilon.scale() > 6) {
            throw new PolicyException(lineOfKey(text, "epsilon"), 1, "epsilon must be above 0 and at most 10, with at most 6 decimals");
        }
        String stratum = samples.stratifyBy() == null ? "" : samples.stratifyBy().trim();
        if (!stratum.isEmpty()) {
            ColumnPolicy column = columns.stream().filter(c -> c.name().equals(stratum)).findFirst()
                    .orElseThrow(() -> new PolicyException(lineOfKey(text, "stratify_by"), 1,
                            "stratify_by names no column of the table: " + stratum));
            if (column.role() != ColumnRole.DIMENSION) {
                // every stratum keeps at least one person: strata of rare values would single people out
                throw new PolicyException(lineOfKey(text, "stratify_by"), 1, "stratify_by must be a dimension column, not a "
                        + column.role().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new SamplePolicy(k, l, epsilon, stratum);
    }

    private static int minGroupSize(OutputFile output, String text) throws PolicyException {
        if (output == null) {
            return 10;
        }
        if (output.mode() != null && !output.mode().equalsIgnoreCase("threshold")) {
            throw new PolicyException(lineOfKey(text, "mode"), 1,
                    "output mode '" + output.mode() + "' is not supported yet; use threshold");
        }
        int k = output.k() == null ? 10 : output.k();
        if (k < 2) {
            throw new PolicyException(lineOfKey(text, "k"), 1, "k must be >= 2");
        }
        return k;
    }

    private static Scenario.SmallGroups smallGroups(OutputFile output, String text) throws PolicyException {
        if (output == null || output.smallGroups() == null) {
            return Scenario.SmallGroups.SUPPRESS;
        }
        try {
            return Scenario.SmallGroups.valueOf(output.smallGroups().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(lineOfKey(text, "small_groups"), 1, "small_groups must be suppress or merge");
        }
    }

    // ---- YAML plumbing --------------------------------------------------------------------------

    private static String kindOf(String text) throws PolicyException {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw located(e);
        }
        if (tree == null || !tree.isObject()) {
            throw new PolicyException(1, 1, "a policy is a YAML mapping");
        }
        JsonNode kind = tree.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new PolicyException(1, 1, "kind is missing");
        }
        return kind.asText();
    }

    private static <T> T bind(String text, Class<T> type) throws PolicyException {
        try {
            return YAML.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw located(e);
        }
    }

    private static PolicyException located(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String reason = e.getOriginalMessage();
        reason = reason == null ? "unreadable YAML" : reason.lines().findFirst().orElse(reason);
        reason = reason.replaceAll("\\(class [^)]*\\)", "").replaceAll("org\\.datasandbox\\.[\\w.$]+", "value").strip();
        return new PolicyException(location == null ? 0 : location.getLineNr(), location == null ? 0 : location.getColumnNr(), reason);
    }

    /** The line of each element of a top-level list, by index. */
    private static Map<Integer, Integer> elementLines(String text, String listName) {
        Map<Integer, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                JsonStreamContext context = parser.getParsingContext();
                if (token == JsonToken.START_OBJECT && context.getParent() != null && context.getParent().inArray()
                        && context.getParent().getParent() != null
                        && listName.equals(context.getParent().getParent().getCurrentName())
                        && context.getParent().getParent().getParent() != null
                        && context.getParent().getParent().getParent().inRoot()) {
                    lines.put(context.getParent().getCurrentIndex(), parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            return lines;
        }
        return lines;
    }

    /** The first line where a key is written, in block or flow style; 0 when absent. */
    private static int lineOfKey(String text, String key) {
        Pattern pattern = Pattern.compile("(^|[{\\s,])\"?" + Pattern.quote(key) + "\"?\\s*:");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (pattern.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }
}
