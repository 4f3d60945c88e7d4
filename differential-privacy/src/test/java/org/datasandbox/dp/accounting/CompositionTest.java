package org.datasandbox.dp.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CompositionTest {
    private static final LifetimeBudget CAP = new LifetimeBudget(1, 1e-6);

    @Test
    void epsilonAt_fewPureReleases_countsByBasicComposition() {
        Composition two = Composition.EMPTY.plus(PrivacyLoss.pure(0.3)).plus(PrivacyLoss.pure(0.2));
        assertThat(two.epsilonAt(CAP)).isCloseTo(0.5, Offset.offset(1e-12));
    }

    @Test
    void epsilonAt_manySmallReleases_countsByZcdpAndGrowsLikeTheSquareRoot() {
        Composition many = Composition.EMPTY;
        for (int i = 0; i < 300; i++) {
            many = many.plus(PrivacyLoss.pure(0.01));
        }
        // basic composition would say 3.0; zCDP: rho = 300 * 0.01^2 / 2 = 0.015
        assertThat(many.total().rho()).isCloseTo(0.015, Offset.offset(1e-12));
        assertThat(many.epsilonAt(CAP)).isCloseTo(ZcdpConversion.epsilon(0.015, 1e-6), Offset.offset(1e-12)).isLessThan(1);
        assertThat(many.fits(CAP)).isTrue();
    }

    @Test
    void epsilonAt_gaussianAndLaplaceTogether_addTheirRhos() {
        Composition mixed = Composition.EMPTY.plus(PrivacyLoss.gaussian(0.5, 1e-7, 0.01)).plus(PrivacyLoss.pure(0.1));
        assertThat(mixed.total().rho()).isCloseTo(0.015, Offset.offset(1e-12));
        assertThat(mixed.epsilonAt(CAP)).isCloseTo(Math.min(0.6, ZcdpConversion.epsilon(0.015, 1e-6)), Offset.offset(1e-12));
    }

    @Test
    void epsilonAt_selectionDeltas_comeOutOfTheConversionsDelta() {
        Composition selected = Composition.EMPTY.plus(PrivacyLoss.thresholded(0.1, 4e-7)).plus(PrivacyLoss.gaussian(1, 1e-7, 0.02));
        assertThat(selected.epsilonAt(CAP)).isCloseTo(ZcdpConversion.epsilon(0.025, 6e-7), Offset.offset(1e-12));
        Composition tooMuchDelta = selected.plus(PrivacyLoss.thresholded(0.1, 7e-7));
        assertThat(tooMuchDelta.fits(CAP)).isFalse();
        assertThat(tooMuchDelta.remainingPureEpsilon(CAP)).isZero();
    }

    @Test
    void remainingPureEpsilon_isTheLargestNextReleaseThatFits() {
        Composition spent = Composition.EMPTY.plus(PrivacyLoss.pure(0.4));
        double left = spent.remainingPureEpsilon(CAP);
        assertThat(left).isCloseTo(0.6, Offset.offset(1e-9));
        assertThat(spent.plus(PrivacyLoss.pure(left)).fits(CAP)).isTrue();
        assertThat(spent.plus(PrivacyLoss.pure(left + 1e-6)).fits(CAP)).isFalse();
    }

    @Test
    void remainingRho_isTheLargestNextGaussianThatFits() {
        Composition spent = Composition.EMPTY.plus(PrivacyLoss.gaussian(0.3, 1e-8, 0.005));
        double rho = spent.remainingRho(CAP);
        assertThat(spent.plus(PrivacyLoss.gaussian(50, 0.5, rho)).epsilonAt(CAP)).isLessThanOrEqualTo(1 + 1e-9);
        assertThat(spent.plus(PrivacyLoss.gaussian(50, 0.5, rho * 1.001)).fits(CAP)).isFalse();
    }
}
