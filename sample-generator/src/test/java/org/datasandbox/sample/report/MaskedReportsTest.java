package org.datasandbox.sample.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.Keep;
import org.datasandbox.masking.function.NumberBand;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.TestTables;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.Generalization;
import org.junit.jupiter.api.Test;

class MaskedReportsTest {

    private static AnonymitySpec spec() {
        Map<String, Generalization> known = new LinkedHashMap<>();
        known.put("gender", Generalization.of(ValueType.STRING, new Keep(), Double.NaN, Double.NaN));
        known.put("income", Generalization.of(ValueType.DOUBLE, new NumberBand(2_000), 0, 200_000));
        known.put("birth", Generalization.of(ValueType.DATE, new DateTruncate(DateTruncate.Unit.YEAR), Double.NaN, Double.NaN));
        known.put("city", Generalization.of(ValueType.STRING, new Keep(), Double.NaN, Double.NaN));
        return new AnonymitySpec("id", known, List.of(), 5, 1, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    private static MaskedRisk risk() {
        return new MaskedRisk(List.of("gender", "income", "birth", "city"), List.of(), List.of(), 5, 1, Map.of(), 7,
                0.2, 0.01, 0.01, 0.001, 0, 0, 0, 0);
    }

    @Test
    void of_levelsAndEmptyCells_giveTheShareOfTheDomainEachCellCovers() {
        Dataset<Row> people = TestTables.people();
        // income at level 2 of its ladder from bands of 2,000: multiples of 10,000, a twentieth of [0, 200,000];
        // the city removed (level 1); a tenth of birth dates missing, the others in years
        Map<String, Integer> levels = Map.of("income", 2, "city", 1, "birth", 0, "gender", 0);
        SampleReport report = MaskedReports.of("people", people.withColumn("city", org.apache.spark.sql.functions.lit(null).cast("string")),
                TestTables.PEOPLE, spec(), levels, risk(), 0);
        Map<String, SampleReport.ColumnUtility> columns = report.utility().columns();
        assertThat(columns).containsOnlyKeys("gender", "age", "income", "city", "birth");
        assertThat(columns.get("gender").informationLoss()).isZero();
        assertThat(columns.get("income").generalization()).isEqualTo("multiples of 10000");
        assertThat(columns.get("income").informationLoss()).isEqualTo(0.05);
        assertThat(columns.get("city").generalization()).isEqualTo("removed");
        assertThat(columns.get("city").informationLoss()).isEqualTo(1.0);
        assertThat(columns.get("birth").emptyShare()).isEqualTo(0.1);
        assertThat(columns.get("birth").informationLoss()).isCloseTo(0.1 + 0.9 * 0.01, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(report.utility().meanInformationLoss()).isBetween(0.2, 0.25);
        assertThat(report.privacy().suppressedRows()).isEqualTo(7);
        assertThat(report.rows()).isEqualTo(6000);
    }
}
