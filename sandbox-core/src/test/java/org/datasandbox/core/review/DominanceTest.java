package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dominance rules against a table checked by hand (p = 10, n = 2, k = 85).
 *
 * <pre>
 * contributions            total  x1   x2   rest  p%: rest &lt; 0.10 x1   (n,k): x1+x2 &gt; 0.85 total  top share
 * 100 50 30 20             200    100  50   50    50 &lt; 10   no          150 &gt; 170  no               0.75
 * 1000 10 5 5              1020   1000 10   10    10 &lt; 100  YES         1010 &gt; 867  YES             0.990
 * 50 45 3 2                100    50   45   5     5 &lt; 5     no          95 &gt; 85     YES             0.95
 * 60 30 4 3 3              100    60   30   10    10 &lt; 6    no          90 &gt; 85     YES             0.9
 * 40 40 10 5 5             100    40   40   20    20 &lt; 4    no          80 &gt; 85     no              0.8
 * 200 1                    201    200  1    0     0 &lt; 20    YES         201 &gt; 170.9 YES             1.0
 * -300 100 100 100 (abs)   600    300  100  200   200 &lt; 30  no          400 &gt; 510  no              0.667
 * </pre>
 */
class DominanceTest {
    private static final DisclosureSettings SETTINGS = DisclosureSettings.defaults(5);

    private static DisclosureReport.Dominance judge(long... values) {
        return DisclosureAnalyzer.Dominance.judge("pay", java.util.Arrays.stream(values).mapToObj(BigDecimal::valueOf)
                .toList(), SETTINGS);
    }

    @Test
    void judge_handCheckedTable_flagsAsComputedByHand() {
        List<Object[]> table = List.of(
                new Object[] {judge(100, 50, 30, 20), false, false, 0.75},
                new Object[] {judge(1000, 10, 5, 5), true, true, 0.99},
                new Object[] {judge(50, 45, 3, 2), false, true, 0.95},
                new Object[] {judge(60, 30, 4, 3, 3), false, true, 0.9},
                new Object[] {judge(40, 40, 10, 5, 5), false, false, 0.8},
                new Object[] {judge(200, 1), true, true, 1.0},
                new Object[] {judge(-300, 100, 100, 100), false, false, 0.667});
        for (Object[] row : table) {
            DisclosureReport.Dominance d = (DisclosureReport.Dominance) row[0];
            assertThat(d.pRule()).as("p%% rule of %s", d).isEqualTo(row[1]);
            assertThat(d.nkRule()).as("(n,k) rule of %s", d).isEqualTo(row[2]);
            assertThat(d.topShare()).as("top share of %s", d).isEqualTo((double) row[3]);
        }
    }

    @Test
    void judge_otherSettings_pTwentyAndOneOverSixty() {
        DisclosureSettings strict = new DisclosureSettings(5, 20, 1, 60);
        // 60 30 4 3 3: rest 10 < 12 (20% of 60): p% flags; x1 = 60 > 60% of 100? no
        DisclosureReport.Dominance d = DisclosureAnalyzer.Dominance.judge("pay",
                List.of(BigDecimal.valueOf(60), BigDecimal.valueOf(30), BigDecimal.valueOf(4), BigDecimal.valueOf(3),
                        BigDecimal.valueOf(3)), strict);
        assertThat(d.pRule()).isTrue();
        assertThat(d.nkRule()).isFalse();
        assertThat(d.topShare()).isEqualTo(0.6);
    }

    @Test
    void judge_allZero_flagsNothing() {
        assertThat(judge(0, 0, 0).flagged()).isFalse();
    }

    @Test
    void differences_rule_someAndFewerThanKOnOneSide() {
        assertThat(ReleaseHistory.differences(0, 0, 5)).isFalse();
        assertThat(ReleaseHistory.differences(1, 0, 5)).isTrue();
        assertThat(ReleaseHistory.differences(0, 4, 5)).isTrue();
        assertThat(ReleaseHistory.differences(5, 0, 5)).isFalse();
        assertThat(ReleaseHistory.differences(5, 30, 5)).isFalse();
        assertThat(ReleaseHistory.differences(6, 2, 5)).isTrue();
    }
}
