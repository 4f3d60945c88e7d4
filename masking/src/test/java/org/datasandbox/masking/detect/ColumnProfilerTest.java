package org.datasandbox.masking.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.datasandbox.masking.detect.ColumnProposal.Bounds;
import org.datasandbox.masking.detect.ColumnProposal.Bucket;
import org.datasandbox.masking.detect.ColumnProposal.Role;
import org.datasandbox.masking.id.BankCardNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.Test;

class ColumnProfilerTest {

    private static ColumnProfile profile(String name, String type, long distinct, IntFunction<String> value) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(value.apply(i));
        }
        return new ColumnProfile(name, type, 1000, distinct, 0, 0, values);
    }

    private static ColumnProposal only(ColumnProfile column) {
        return ColumnProfiler.propose(column);
    }

    @Test
    void propose_formatsWithCheckDigits_areDirectIdentifiersWhateverTheirName() {
        ColumnProposal id = only(profile("c1", "string", 1000,
                i -> ResidentIdNumber.of("420102", LocalDate.of(1970, 1, 1).plusDays(i * 37L), i % 1000)));
        assertThat(id.role()).isEqualTo(Role.DIRECT_IDENTIFIER);
        assertThat(id.mask()).contains(MaskingSpec.of("resident_id", "keep", "region"));
        assertThat(id.evidence()).contains("100% of 200 sampled values are valid resident ID numbers");
        ColumnProposal phone = only(profile("c2", "string", 1000, i -> "138" + String.format("%08d", i * 7919)));
        assertThat(phone.mask()).contains(MaskingSpec.of("mobile"));
        ColumnProposal card = only(profile("c3", "string", 1000, i -> {
            String body = "622202" + String.format("%09d", i * 104_729);
            return body + BankCardNumber.checkDigit(body);
        }));
        assertThat(card.mask()).contains(MaskingSpec.of("bank_card"));
        assertThat(only(profile("c4", "string", 1000, i -> "user" + i + "@example.org")).mask()).contains(MaskingSpec.of("email"));
    }

    @Test
    void propose_namesAddressesDatesAndNumbers() {
        String[] names = {"王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"};
        assertThat(only(profile("holder", "string", 900, i -> names[i % names.length] + (i % 3 == 0 ? "华" : ""))).mask()).contains(MaskingSpec.of("chinese_name"));
        assertThat(only(profile("home", "string", 990, i -> "湖北省武汉市洪山区珞喻路" + i + "号")).mask()).contains(MaskingSpec.of("address"));
        ColumnProposal birth = only(profile("birth_date", "date", 900, i -> "1980-01-01"));
        assertThat(birth.role()).isEqualTo(Role.QUASI_IDENTIFIER);
        assertThat(birth.bucket()).contains(Bucket.ofDates("decade"));
        assertThat(only(profile("visit_date", "date", 300, i -> "2024-01-01")).mask().orElseThrow().params()).containsEntry("unit", "month");
        ColumnProposal age = only(new ColumnProfile("age", "integer", 1000, 90, 0, 97, List.of("30")));
        assertThat(age.role()).isEqualTo(Role.QUASI_IDENTIFIER);
        ColumnProposal income = only(new ColumnProfile("income", "double", 1000, 800, -120, 734_512.5, List.of("1.0")));
        assertThat(income.role()).isEqualTo(Role.MEASURE);
        assertThat(income.bounds()).contains(new Bounds(new BigDecimal("-200"), new BigDecimal("1000000")));
        ColumnProposal fee = only(new ColumnProfile("fee", "double", 1000, 800, 120, 734.5, List.of("1.0")));
        assertThat(fee.bounds()).contains(new Bounds(new BigDecimal("0"), new BigDecimal("1000"))); // never rounded inward past the data
        ColumnProposal loss = only(new ColumnProfile("loss", "double", 1000, 800, -734.5, -120, List.of("1.0")));
        assertThat(loss.bounds()).contains(new Bounds(new BigDecimal("-1000"), new BigDecimal("0")));
        assertThat(only(profile("seen_at", "timestamp", 900, i -> "2024-01-01 10:00:00")).mask())
                .contains(MaskingSpec.of("date_truncate", "unit", "month"));
        assertThat(only(new ColumnProfile("grade", "integer", 1000, 5, 1, 5, List.of("1"))).role()).isEqualTo(Role.DIMENSION);
    }

    @Test
    void propose_categoriesSensitiveAttributesAndUnknownText() {
        assertThat(only(profile("district", "string", 17, i -> "洪山区")).role()).isEqualTo(Role.DIMENSION);
        assertThat(only(profile("diagnosis", "string", 12, i -> "高血压")).role()).isEqualTo(Role.SENSITIVE_ATTRIBUTE);
        ColumnProposal notes = only(profile("notes", "string", 950, i -> "free text " + i));
        assertThat(notes.role()).isEqualTo(Role.DIRECT_IDENTIFIER);
        assertThat(notes.mask()).contains(MaskingSpec.of("redact"));
    }

    @Test
    void propose_exactlyOnePrivacyUnit_preferringAPersonKeyEvenWhenItRepeats() {
        List<ColumnProposal> visits = ColumnProfiler.propose(List.of(
                profile("visit_id", "string", 1000, i -> "V" + i),
                new ColumnProfile("person_id", "bigint", 1000, 400, 1, 5000, List.of("1")),
                profile("hospital", "string", 8, i -> "协和医院")));
        assertThat(visits).extracting(ColumnProposal::role).containsExactly(Role.DIRECT_IDENTIFIER, Role.PRIVACY_UNIT, Role.DIMENSION);
        List<ColumnProposal> people = ColumnProfiler.propose(List.of(
                new ColumnProfile("id", "integer", 1000, 1000, 1, 1000, List.of("1")),
                new ColumnProfile("age", "integer", 1000, 80, 18, 90, List.of("30"))));
        assertThat(people.get(0).role()).isEqualTo(Role.PRIVACY_UNIT);
        assertThat(people.get(0).mask()).contains(MaskingSpec.of("pseudonym"));
        List<ColumnProposal> noKey = ColumnProfiler.propose(List.of(
                profile("hospital", "string", 8, i -> "协和医院"),
                new ColumnProfile("code", "integer", 1000, 600, 1, 5000, List.of("7"))));
        assertThat(noKey).extracting(ColumnProposal::role).containsExactly(Role.DIMENSION, Role.PRIVACY_UNIT);
        assertThat(noKey.get(1).evidence()).contains("check it");
    }

    @Test
    void nice_roundsOutwardToOneTwoOrFive() {
        assertThat(ColumnProfiler.nice(734_512.5)).isEqualTo("1000000");
        assertThat(ColumnProfiler.nice(97)).isEqualTo("100");
        assertThat(ColumnProfiler.nice(4.2)).isEqualTo("5");
        assertThat(ColumnProfiler.nice(0.013)).isEqualTo("0.02");
        assertThat(ColumnProfiler.nice(-120)).isEqualTo("-200");
        assertThat(ColumnProfiler.nice(0)).isEqualTo("0");
    }
}
