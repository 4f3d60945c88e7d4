package org.datasandbox.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table policy's {@code one_row_per_unit}: parsed, verified on the registered data whichever comes
 * second (policy or data), refused without any value when false, and handed to the guard's catalog.
 */
class OneRowPerUnitDeclarationTest {
    /** A value no error, ledger entry or log may show: it is the repeated unit of the broken tables. */
    private static final String SECRET_UNIT = "90210777";

    private final Sandbox sandbox = TestSandbox.get();

    private static String policy(String table, boolean declared) {
        return "kind: table-policy\ntable: " + table + "\n" + (declared ? "one_row_per_unit: true\n" : "")
                + "columns:\n  - {name: id, type: bigint, role: privacy_unit}\n  - {name: grp, type: string, role: dimension}\n";
    }

    private static byte[] csv(String... ids) {
        StringBuilder text = new StringBuilder("id,grp\n");
        for (String id : ids) {
            text.append(id).append(",a\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void register(String table, byte[] csv) {
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), table, "", csv, Map.of("id", ColumnType.BIGINT));
    }

    private LedgerEntry lastEntry(String action, String subject) throws Exception {
        List<LedgerEntry> entries = sandbox.ledger().entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).action().equals(action) && entries.get(i).subject().equals(subject)) {
                return entries.get(i);
            }
        }
        throw new AssertionError("no " + action + " of " + subject);
    }

    @Test
    void parse_declared_policySaysOneRowPerUnit() throws Exception {
        PolicyParser parser = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM));
        assertThat(parser.parse(policy("t", true)).table().orElseThrow().oneRowPerUnit()).isTrue();
        assertThat(parser.parse(policy("t", false)).table().orElseThrow().oneRowPerUnit()).isFalse();
        assertThat(parser.parse(Files.readString(TestSandbox.examples().resolve("policies/residents.yaml")))
                .table().orElseThrow().oneRowPerUnit()).isTrue();
        assertThat(parser.parse(Files.readString(TestSandbox.examples().resolve("policies/medical_visits.yaml")))
                .table().orElseThrow().oneRowPerUnit()).isFalse();
    }

    @Test
    void applyPolicy_declaredOnUniqueUnits_acceptedAndVerificationRecorded() throws Exception {
        register("uu_unique", csv("1", "2", "3"));
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy("uu_unique", true));
        assertThat(lastEntry("policy.applied", "uu_unique").details().get("oneRowPerUnit")).startsWith("verified on data ");
    }

    @Test
    void applyPolicy_declaredOnRepeatedUnit_refusedWithoutAnyValue() {
        register("uu_repeated", csv("1", SECRET_UNIT, "2", SECRET_UNIT));
        assertThatThrownBy(() -> sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy("uu_repeated", true)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_POLICY))
                .hasMessageContaining("one_row_per_unit")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_UNIT).doesNotContain("4").doesNotContain("3"));
        // the same policy without the declaration is fine: nothing else is wrong with it
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy("uu_repeated", false));
    }

    @Test
    void applyPolicy_declaredOnMissingUnit_refused() {
        register("uu_missing", csv("1", "", "2"));
        assertThatThrownBy(() -> sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy("uu_missing", true)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_POLICY));
    }

    @Test
    void registerDataset_underDeclaringPolicy_repeatedUnitRefusedAndNothingKept() throws Exception {
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy("uu_late", true));
        assertThat(lastEntry("policy.applied", "uu_late").details().get("oneRowPerUnit")).contains("when the table is registered");
        assertThatThrownBy(() -> register("uu_late", csv(SECRET_UNIT, "5", SECRET_UNIT)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("one_row_per_unit")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_UNIT));
        assertThat(sandbox.ledger().entries()).noneMatch(e -> e.action().equals("dataset.registered")
                && e.subject().equals("uu_late"));
        // nothing of the refused upload is left: data that keeps the promise registers under the same name
        register("uu_late", csv("5", "6"));
        assertThat(lastEntry("dataset.registered", "uu_late").details()).containsEntry("oneRowPerUnit", "verified");
        assertThat(sandbox.ledger().entries().toString()).doesNotContain(SECRET_UNIT);
    }

    @Test
    void table_declaredPolicy_guardTableIsOneRowPerUnit(@TempDir Path dir) throws Exception {
        DatasetCatalog datasets = DatasetCatalog.open(dir.resolve("datasets"));
        PolicyParser parser = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM));
        PolicyStore policies = PolicyStore.open(dir.resolve("policies"), parser);
        for (String table : List.of("declared", "undeclared")) {
            datasets.add(new DatasetDescriptor(table, "", List.of(new DatasetColumn("id", ColumnType.BIGINT),
                    new DatasetColumn("grp", ColumnType.STRING)), 2, "hash", "p", "now"));
            String text = policy(table, table.equals("declared"));
            policies.put(parser.parse(text).table().orElseThrow(), text);
        }
        SandboxGuardCatalog catalog = new SandboxGuardCatalog(datasets, policies);
        assertThat(catalog.table("declared").orElseThrow().oneRowPerUnit()).isTrue();
        assertThat(catalog.table("undeclared").orElseThrow().oneRowPerUnit()).isFalse();
    }

    /**
     * The verifier against an independent count in Java, on generated tables: small unit ranges make
     * repeats likely, some rows have no unit.
     */
    @Test
    void holds_generatedTables_agreesWithJavaOracle() {
        TestSandbox.get();
        SparkSession spark = SparkSession.active();
        StructType schema = new StructType().add("id", DataTypes.LongType, true).add("v", DataTypes.IntegerType, false);
        Random random = new Random(20261130L);
        Map<String, Dataset<Row>> tables = new java.util.HashMap<>();
        Map<String, Boolean> expected = new java.util.HashMap<>();
        for (int t = 0; t < 10; t++) {
            int rows = 1 + random.nextInt(40);
            int range = rows + random.nextInt(rows * 40);
            boolean nulls = random.nextInt(4) == 0;
            List<Row> data = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            boolean unique = true;
            for (int i = 0; i < rows; i++) {
                Long id = nulls && random.nextInt(10) == 0 ? null : (long) random.nextInt(range);
                unique &= id != null && seen.add(id);
                data.add(RowFactory.create(id, i));
            }
            tables.put("g" + t, spark.createDataFrame(data, schema));
            expected.put("g" + t, unique);
        }
        assertThat(expected).containsValues(true, false);
        UnitUniqueness verifier = new UnitUniqueness(tables::get);
        for (Map.Entry<String, Boolean> table : expected.entrySet()) {
            assertThat(verifier.holds(table.getKey(), "id", "v1")).as(table.getKey()).isEqualTo(table.getValue());
            // cached per data version: asked again, the same answer
            assertThat(verifier.holds(table.getKey(), "id", "v1")).as(table.getKey()).isEqualTo(table.getValue());
        }
    }
}
