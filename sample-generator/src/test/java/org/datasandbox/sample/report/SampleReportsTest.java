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
