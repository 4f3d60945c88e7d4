package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.datasandbox.api.v1.BudgetReport;
import org.datasandbox.api.v1.Catalog;
import org.datasandbox.api.v1.CatalogScenario;
import org.datasandbox.api.v1.QueryCost;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The remaining-budget view, the dry run and the mode in the catalog, over the real TLS server. The DP scenario
 * grants tables no other test uses (not registered: accounts exist from the scenario alone), so that the shared
 * fixture's other tests still find one scenario per table.
 */
class BudgetRpcTest {
    private static final String DP_SCENARIO = "kind: scenario\nid: dp-health\npurpose: noisy district statistics\n"
            + "developers: [\"Wang Fang\"]\noutput: {mode: dp, epsilon: 0.5, delta: 1.0e-6, max_groups_per_unit: 2}\n"
            + "grants: {census: [\"*\"], survey: [\"*\"]}\nbudget: {epsilon: 4, delta: 1.0e-5}\n";
    private static GrpcFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        fixture.client(Role.ADMIN).applyPolicy(DP_SCENARIO);
    }

    @Test
    void getBudget_dpScenario_showsEachGrantedTablesCapAndWhatIsLeft() {
        BudgetReport report = fixture.client(Role.DEVELOPER).budget("dp-health");

        assertThat(report.getMode()).isEqualTo("dp");
        assertThat(report.getQueryEpsilon()).isEqualTo(0.5);
        assertThat(report.getTablesList()).extracting(t -> t.getTable()).containsExactly("census", "survey");
        assertThat(report.getTables(0).getLifetimeEpsilon()).isEqualTo(4.0);
        assertThat(report.getTables(0).getRemainingEpsilon()).isEqualTo(4.0);
        assertThat(report.getTables(0).getCharges()).isZero();
    }

    @Test
    void getBudget_auditorSeesItAndAnUnknownScenarioIsNotFound() {
        assertThat(fixture.client(Role.AUDITOR).budget("dp-health").getTablesCount()).isEqualTo(2);
        assertThatThrownBy(() -> fixture.client(Role.DEVELOPER).budget("no-such-scenario"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void estimateCost_thresholdScenario_costsNothingAndRunsNothing() {
        QueryCost cost = fixture.client(Role.DEVELOPER).estimateCost(GrpcFixture.SCENARIO,
                "SELECT district, COUNT(*) AS n FROM residents GROUP BY district");

        assertThat(cost.getMode()).isEqualTo("threshold");
        assertThat(cost.getEpsilon()).isZero();
        assertThat(cost.getRewrittenSql()).isNotBlank();
    }

    @Test
    void estimateCost_refusedQuery_isRefusedLikeSubmit() {
        assertThatThrownBy(() -> fixture.client(Role.DEVELOPER).estimateCost(GrpcFixture.SCENARIO,
                "SELECT name, phone FROM residents"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void listCatalog_showsEachScenariosMode() {
        Catalog catalog = fixture.client(Role.DEVELOPER).listCatalog();

        CatalogScenario dp = catalog.getScenariosList().stream().filter(s -> s.getId().equals("dp-health")).findFirst()
                .orElseThrow();
        assertThat(dp.getMode()).isEqualTo("dp");
        assertThat(dp.getQueryDelta()).isEqualTo(1e-6);
        assertThat(catalog.getScenariosList()).anyMatch(s -> s.getId().equals(GrpcFixture.SCENARIO)
                && s.getMode().equals("threshold") && s.getK() == 10);
    }
}
