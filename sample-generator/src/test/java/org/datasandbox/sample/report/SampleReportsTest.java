package org.datasandbox.sample.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.TestTables;
import org.datasandbox.sample.sampling.KAnonymity;
import org.junit.jupiter.api.Test;

class SampleReportsTest {

    @Test
    void compare_theOriginalsWithThemselves_isPerfectAndAllCopies() {
        Dataset<Row> people = TestTables.people();
        SampleReport report = SampleReports.compare("people", "masked", people, OriginalsProfile.of(people, TestTables.PEOPLE, 1), 2);
        assertThat(report.rows()).isEqualTo(6000);
        assertThat(report.fidelity().distributionDistance()).containsOnlyKeys("gender", "age", "income", "city", "birth")
                .allSatisfy((column, tvd) -> assertThat(tvd).isZero());
        assertThat(report.fidelity().maxCorrelationDifference()).isZero();
        assertThat(report.privacy().exactMatches()).isEqualTo(6000);
        // the originals are as close to the reference rows as held-out originals are
        assertThat(report.privacy().closestRecord().median())
                .isCloseTo(report.privacy().holdoutClosestRecord().median(), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void risk_countsSmallClasses_andSuppressionRemovesThem() {
        Dataset<Row> people = TestTables.people().selectExpr("id", "CAST(age / 10 AS INT) * 10 AS age", "city");
        var columns = TestTables.PEOPLE;
        SampleReport.ReidentificationRisk before = SampleReports.risk(people, columns, 5);
        assertThat(before.quasiIdentifiers()).containsExactly("age", "city");
        assertThat(before.smallestClass()).isBetween(1L, 4L); // Atlantis holds three people
        assertThat(before.shareOfRowsBelowK()).isGreaterThan(0);
        Dataset<Row> anonymous = KAnonymity.suppress(people, List.of("age", "city"), 5);
        SampleReport.ReidentificationRisk after = SampleReports.risk(anonymous, columns, 5);
        assertThat(after.smallestClass()).isGreaterThanOrEqualTo(5);
        assertThat(after.shareOfRowsBelowK()).isZero();
        assertThat(after.maxRisk()).isLessThanOrEqualTo(0.2);
        assertThat(anonymous.where("city = 'Atlantis'").count()).isZero();
    }
}
