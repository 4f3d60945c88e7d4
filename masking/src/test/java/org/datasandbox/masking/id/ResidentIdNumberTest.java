package org.datasandbox.masking.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ResidentIdNumberTest {

    @Test
    void checkCharacter_publishedExample_matchesStandard() {
        // The worked example of GB 11643-1999, appendix: 11010519491231002X.
        assertThat(ResidentIdNumber.checkCharacter("11010519491231002")).isEqualTo('X');
        assertThat(ResidentIdNumber.isValid("11010519491231002X")).isTrue();
        assertThat(ResidentIdNumber.isValid("11010519491231002x")).isTrue();
    }

    @Test
    void isValid_wrongCheckDigitOrDate_isFalse() {
        assertThat(ResidentIdNumber.isValid("110105194912310021")).isFalse();
        assertThat(ResidentIdNumber.isValid("110105194913310020")).isFalse();
        assertThat(ResidentIdNumber.isValid("1101051949123100")).isFalse();
        assertThat(ResidentIdNumber.isValid((String) null)).isFalse();
        assertThat(ResidentIdNumber.isValid("A1010519491231002X")).isFalse();
    }

    @Test
    void of_buildsValidNumberWithBirthDate() {
        String id = ResidentIdNumber.of("420106", LocalDate.of(1990, 3, 7), 123);
        assertThat(id).startsWith("42010619900307123").hasSize(18);
        assertThat(ResidentIdNumber.isValid(id)).isTrue();
        assertThat(ResidentIdNumber.birthDate(id)).contains(LocalDate.of(1990, 3, 7));
    }

    @Test
    void checkCharacter_nonDigit_isRefused() {
        assertThatThrownBy(() -> ResidentIdNumber.checkCharacter("1101051949123100A"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
