package org.datasandbox.sample.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datasandbox.masking.function.NumberBand;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.release.ShownCell;
import org.junit.jupiter.api.Test;

/** The ladder of a top-coded band: nesting levels from the policy's width and codes alone. */
class CodedBandLadderTest {

    @Test
    void of_demoIncomeMask_widensTheBandsThenLowersTheCapToTwoBands() {
        var ladder = (CodedBandLadder) Generalization.of(ValueType.DOUBLE, new NumberBand(10_000, 0, 150_000), 0, 1_000_000);
        assertThat(ladder.steps()).containsExactly(new CodedBandLadder.Step(10_000, 150_000), new CodedBandLadder.Step(50_000, 150_000),
                new CodedBandLadder.Step(50_000, 100_000), new CodedBandLadder.Step(50_000, 50_000));
        assertThat(ladder.levels()).isEqualTo(4);
        assertThat(ladder.describe(3)).isEqualTo("multiples of 50000, 50000 and above");
        assertThat(ladder.describe(4)).isEqualTo("removed");
        assertThat(List.of(ladder.loss(0), ladder.loss(1), ladder.loss(2), ladder.loss(3), ladder.loss(4)))
                .containsExactly(1 / 16.0, 1 / 4.0, 1 / 3.0, 1 / 2.0, 1.0);
        assertThat(CodedBandLadder.nextNesting(10)).isEqualTo(50);
        assertThat(CodedBandLadder.nextNesting(50)).isEqualTo(100);
        assertThat(CodedBandLadder.nextNesting(2)).isEqualTo(10);
    }

    /**
     * Oracle from the definition of nesting, over generated values and masks: two values that share a value at
     * one level share it at every coarser level (each level a union of the bands below), the re-release rule
     * agrees that every coarser level is determined by every finer one and no finer by a coarser, and every
     * shown level has at least two values and at most the mask's.
     */
    @Test
    void levels_generatedMasksAndValues_nest_andTheReleaseRuleAgrees() {
        SplittableRandom random = new SplittableRandom(17);
        long[] widths = {2, 5, 10, 20, 100, 1_000, 2_500};
        for (int mask = 0; mask < 40; mask++) {
            long width = widths[random.nextInt(widths.length)];
            double bottom = random.nextBoolean() ? Double.NEGATIVE_INFINITY : width * (random.nextInt(21) - 10);
            double origin = Double.isInfinite(bottom) ? 0 : bottom;
            double top = origin + width * (1 + random.nextInt(60));
            NumberBand band = new NumberBand(width, bottom, top);
            var ladder = (CodedBandLadder) Generalization.of(ValueType.DOUBLE, band, Double.NaN, Double.NaN);
            double[] masked = new double[300];
            for (int i = 0; i < masked.length; i++) {
                masked[i] = (double) band.mask(random.nextDouble(origin - 3 * width, top + 3 * width));
            }
            for (int level = 0; level < ladder.levels(); level++) {
                Map<Object, Object> coarser = new HashMap<>();
                for (double value : masked) {
                    Object here = ladder.key(value, level);
                    Object next = ladder.key(value, level + 1);
                    assertThat(coarser.computeIfAbsent(here, x -> String.valueOf(next))).as("%s level %d", band, level)
                            .isEqualTo(String.valueOf(next));
                }
                assertThat(1 / ladder.loss(level)).as("%s level %d", band, level).isBetween(2 - 1e-9, (top - origin) / width + 1 + 1e-9);
                for (int later = 0; later <= ladder.levels(); later++) {
                    assertThat(ShownCell.of(ladder, later).determinedBy(ShownCell.of(ladder, level))).as("%s %d after %d", band, later, level)
                            .isEqualTo(later >= level);
                }
            }
        }
    }
}
