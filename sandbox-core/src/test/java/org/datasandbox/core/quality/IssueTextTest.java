package org.datasandbox.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.datasandbox.core.SandboxException;
import org.junit.jupiter.api.Test;

class IssueTextTest {

    @Test
    void text_wordsYearsAndSmallCounts_pass() {
        assertThat(IssueText.text("  District names mix the 2019 and 2021 codes; about 30 rows per district. ",
                "description")).isEqualTo("District names mix the 2019 and 2021 codes; about 30 rows per district.");
    }

    @Test
    void text_identityPhoneAndAccountNumbers_areRefused() {
        for (String value : new String[] {"id 420102199003071234 is twice", "call 138-0013-8000", "138 0013 8000",
                "amount 12345.67", "born 1990/03/07", "card (4111) 1111", "mail li@example.cn"}) {
            assertThatThrownBy(() -> IssueText.text(value, "description")).as(value)
                    .isInstanceOf(SandboxException.class);
        }
    }

    @Test
    void text_tooLongOrEmpty_isRefused() {
        assertThatThrownBy(() -> IssueText.text("a".repeat(501), "answer")).hasMessageContaining("500");
        assertThatThrownBy(() -> IssueText.text("   ", "answer")).hasMessageContaining("empty");
    }

    @Test
    void category_lettersSpacesHyphensOnly() {
        assertThat(IssueText.category(" missing values ")).isEqualTo("missing values");
        assertThat(IssueText.category("缺失值")).isEqualTo("缺失值");
        assertThatThrownBy(() -> IssueText.category("codes 2019")).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> IssueText.category("x".repeat(41))).isInstanceOf(SandboxException.class);
    }

    @Test
    void longestDigitRun_countsAcrossSeparatorsBetweenDigitsOnly() {
        assertThat(IssueText.longestDigitRun("2019 and 2021")).isEqualTo(4);
        assertThat(IssueText.longestDigitRun("12 34")).isEqualTo(4);
        assertThat(IssueText.longestDigitRun("12, 34")).isEqualTo(2);
        assertThat(IssueText.longestDigitRun("12-")).isEqualTo(2);
    }
}
