package org.datasandbox.sample.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseRuleTest {
    private static final ShownColumn INCOME_BAND = new ShownColumn("band(width=1000)", ShownCell.asMasked());
    private static final ShownColumn YEAR = new ShownColumn("date_truncate(unit=year)", ShownCell.asMasked());

    private static MaskedRelease release(Map<String, ShownColumn> shown) {
        return new MaskedRelease(List.of("v1"), 1, 0.5, "", shown);
    }

    private static ShownColumn multiples(ShownColumn column, double width) {
        return new ShownColumn(column.mask(), new ShownCell(ShownCell.Kind.MULTIPLES, width, ""));
    }

    @Test
    void narrowing_sameRelease_keepsKeys() {
        MaskedRelease release = release(Map.of("income", INCOME_BAND, "birth_date", YEAR));
        assertThat(ReleaseRule.narrowing(release, release)).isEmpty();
    }

    @Test
    void narrowing_nestedCoarserAndEmptiedColumns_keepsKeys() {
        MaskedRelease earlier = release(Map.of("income", multiples(INCOME_BAND, 2000), "birth_date", YEAR));
        MaskedRelease later = release(Map.of("income", multiples(INCOME_BAND, 10000),
                "birth_date", new ShownColumn("nullify", ShownCell.asMasked())));
        assertThat(ReleaseRule.narrowing(earlier, later)).isEmpty();
    }

    @Test
    void narrowing_widthsThatDoNotNest_needsFreshKeys() {
        // bands of 20 split across bands of 50: 45 and 55 share a band of 20 but not one of 50
        MaskedRelease earlier = release(Map.of("income", multiples(INCOME_BAND, 20)));
        MaskedRelease later = release(Map.of("income", multiples(INCOME_BAND, 50)));
        assertThat(ReleaseRule.narrowing(earlier, later)).hasValueSatisfying(r -> assertThat(r).contains("income"));
    }

    @Test
    void narrowing_finerMaskOrLevel_needsFreshKeys() {
        MaskedRelease earlier = release(Map.of("income", multiples(INCOME_BAND, 10000)));
        assertThat(ReleaseRule.narrowing(earlier, release(Map.of("income", INCOME_BAND)))).isPresent();
        assertThat(ReleaseRule.narrowing(earlier, release(Map.of("income", new ShownColumn("band(width=10000)",
                ShownCell.asMasked()))))).as("another mask is not comparable").isPresent();
    }

    @Test
    void narrowing_columnNotShownBefore_needsFreshKeys() {
        MaskedRelease earlier = release(Map.of("income", INCOME_BAND));
        assertThat(ReleaseRule.narrowing(earlier, release(Map.of("income", INCOME_BAND, "birth_date", YEAR)))).isPresent();
        assertThat(ReleaseRule.narrowing(earlier, release(Map.of("income", INCOME_BAND,
                "birth_date", new ShownColumn("redact", ShownCell.asMasked()))))).as("a constant column shows nothing").isEmpty();
    }

    @Test
    void narrowing_dataOrSelectionChanged_needsFreshKeys() {
        MaskedRelease earlier = release(Map.of("income", INCOME_BAND));
        assertThat(ReleaseRule.narrowing(earlier, new MaskedRelease(List.of("v2"), 1, 0.5, "", earlier.shown()))).isPresent();
        assertThat(ReleaseRule.narrowing(earlier, new MaskedRelease(List.of("v1"), 2, 0.4, "", earlier.shown()))).isPresent();
        assertThat(ReleaseRule.narrowing(earlier, new MaskedRelease(List.of("v1"), 2, 0.6, "", earlier.shown()))).isEmpty();
        assertThat(ReleaseRule.narrowing(earlier, new MaskedRelease(List.of("v1"), 2, 0.5, "district", earlier.shown()))).isPresent();
    }

    @Test
    void narrowing_dateSteps_nestInOrder() {
        ShownColumn month = new ShownColumn("keep", new ShownCell(ShownCell.Kind.DATE, 0, "MONTH"));
        ShownColumn decade = new ShownColumn("keep", new ShownCell(ShownCell.Kind.DATE, 0, "DECADE"));
        assertThat(ReleaseRule.narrowing(release(Map.of("d", month)), release(Map.of("d", decade)))).isEmpty();
        assertThat(ReleaseRule.narrowing(release(Map.of("d", decade)), release(Map.of("d", month)))).isPresent();
    }
}
