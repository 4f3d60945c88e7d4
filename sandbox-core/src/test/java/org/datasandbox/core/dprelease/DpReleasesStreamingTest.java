package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.ZeroNoise;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpQuery;
import org.junit.jupiter.api.Test;

/**
 * Which path bounds a guard-planned DP query in {@link DpReleases}, and that it does not change the answer: over
 * originals stored bucketed and sorted by the unit the streaming pass runs; over a plain view, or a bucketed table
 * whose buckets are not one sorted run each, the SQL path does (the latter after the pass refused the layout);
 * with zero noise every path releases the same answer as the SQL path on a view. The ledger details name the
 * path, no value.
 */
class DpReleasesStreamingTest {
    /** One value: with zero noise its 30-person districts pass partition selection (see DpReleasesTest). */
    private static final String QUERY = "SELECT district, COUNT(*) AS n FROM people GROUP BY district";

    @Test
    void release_bucketedSortedOriginals_takesStreamingPathWithTheSqlPathsAnswer() throws Exception {
        DpReleases.Answer reference = released(DpWorld.withLifetimeEpsilon(10), Layout.VIEW);
        DpReleases.Answer streamed = released(DpWorld.withLifetimeEpsilon(10), Layout.BUCKETED);

        assertThat(reference.ledgerDetails()).containsEntry("bounding", DpReleases.SQL);
        assertThat(streamed.ledgerDetails()).containsEntry("bounding", DpReleases.STREAMING);
        assertThat(rows(streamed)).isEqualTo(rows(reference)).isNotEmpty();
    }

    @Test
    void release_bucketsOfTwoUnsortedRuns_fallsBackToSqlPathWithTheSameAnswer() throws Exception {
        DpReleases.Answer reference = released(DpWorld.withLifetimeEpsilon(10), Layout.VIEW);
        DpReleases.Answer fallback = released(DpWorld.withLifetimeEpsilon(10), Layout.BUCKETED_TWO_RUNS);

        assertThat(fallback.ledgerDetails()).containsEntry("bounding", DpReleases.SQL);
        assertThat(rows(fallback)).isEqualTo(rows(reference));
    }

    @Test
    void release_cachedAnswer_saysNoPathRan() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        released(world, Layout.BUCKETED);
        DpReleases.Answer again = release(world);

        assertThat(again.spent()).isFalse();
        assertThat(again.ledgerDetails()).containsEntry("bounding", DpReleases.CACHED);
    }

    /**
     * A query without group keys releases its one group on every path, the same as the SQL path's, with rows in every
     * bucket (its partials added across them) and when no row passes its filter (no unit at all).
     */
    @Test
    void release_zeroKeyQuery_streamingReleasesTheSqlPathsOneRow() throws Exception {
        for (String sql : List.of("SELECT COUNT(*) AS n, SUM(income) AS s FROM people",
                "SELECT COUNT(*) AS n, SUM(income) AS s FROM people WHERE income < 0")) {
            DpReleases.Answer reference = released(DpWorld.withLifetimeEpsilon(10), Layout.VIEW, sql);
            DpReleases.Answer streamed = released(DpWorld.withLifetimeEpsilon(10), Layout.BUCKETED, sql);

            assertThat(streamed.ledgerDetails()).as(sql).containsEntry("bounding", DpReleases.STREAMING);
            assertThat(rows(streamed)).as(sql).isEqualTo(rows(reference)).hasSize(1);
        }
    }

    private enum Layout {
        VIEW,
        BUCKETED,
        BUCKETED_TWO_RUNS
    }

    private static DpReleases.Answer released(DpWorld world, Layout layout) throws Exception {
        return released(world, layout, QUERY);
    }

    private static DpReleases.Answer released(DpWorld world, Layout layout, String sql) throws Exception {
        if (layout != Layout.VIEW) {
            world.storedByUnit(layout == Layout.BUCKETED_TWO_RUNS);
        }
        return release(world, sql);
    }

    private static DpReleases.Answer release(DpWorld world) throws Exception {
        return release(world, QUERY);
    }

    private static DpReleases.Answer release(DpWorld world, String sql) throws Exception {
        Scenario scenario = new Scenario(DpWorld.SCENARIO, Map.of("people", Set.of("pid", "district", "income")),
                OutputMode.DP, 10, Scenario.SmallGroups.SUPPRESS, new ContributionBounds(2, 2));
        DpQuery query = new QueryGuard(DpWorld.CATALOG, new SplittableRandom(3)).check(sql, scenario).dpQuery()
                .orElseThrow();
        assertThat(query.unitRows()).isPresent();
        DpReleases releases = world.releases(ZeroNoise::of, RandomSource.seeded(1), 100);
        return releases.release(DpWorld.SCENARIO, "job-1", query, List.of("people"), world.spark::sql);
    }

    private static List<List<Object>> rows(DpReleases.Answer answer) {
        return ArrowResults.decode(answer.arrowIpc()).rows().stream()
                .map(r -> (List<Object>) new java.util.ArrayList<Object>(r)).sorted(java.util.Comparator.comparing(
                        Object::toString)).toList();
    }
}
