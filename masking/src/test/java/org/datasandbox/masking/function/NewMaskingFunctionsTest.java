package org.datasandbox.masking.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.id.BankCardNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.id.SocialCreditCode;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NewMaskingFunctionsTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    private static MaskingFunction create(String function, Map<String, String> params) {
        return MaskingFunctions.create(new MaskingSpec(function, params), KEY, KeyedPseudonym.Algorithm.SM3);
    }

    @Test
    void residentIdToken_isValidKeepsRegionYearAndSex_andIsKeyed() {
        String id = ResidentIdNumber.of("420106", LocalDate.of(1990, 3, 7), 123);
        String token = (String) create("resident_id_token", Map.of()).mask(id);
        assertThat(ResidentIdNumber.isValid(token)).isTrue();
        assertThat(token).startsWith("4201061990").isNotEqualTo(id);
        assertThat((token.charAt(16) - '0') % 2).isEqualTo(1); // 123 is odd: a man
        assertThat(create("resident_id_token", Map.of()).mask(id)).isEqualTo(token);
        assertThat(new ResidentIdToken(OTHER_KEY, KeyedPseudonym.Algorithm.SM3).mask(id)).isNotEqualTo(token);
        assertThat(create("resident_id_token", Map.of()).mask("12345")).isEqualTo("*".repeat(18));
    }

    @Test
    void address_truncatesToDistrict() {
        MaskingFunction f = create("address", Map.of());
        assertThat(f.mask("湖北省武汉市洪山区珞喻路123号")).isEqualTo("湖北省武汉市洪山区");
        assertThat(f.mask("湖北省神农架林区松柏镇8号")).isEqualTo("湖北省神农架林区");
        assertThat(f.mask("湖北省宜昌市枝江市马家店街道")).isEqualTo("湖北省宜昌市枝江市");
        assertThat(f.mask("湖北省房县城关镇")).isEqualTo("湖北省房县");
        assertThat(f.mask("somewhere")).isEqualTo("***");
        assertThat(f.mask(null)).isNull();
    }

    @Test
    void bankCard_tokenKeepsIssuerAndPassesLuhn() {
        String card = "6222021234567890128";
        assertThat(BankCardNumber.isValid(card)).isTrue();
        String token = (String) create("bank_card", Map.of()).mask(card);
        assertThat(token).hasSize(19).startsWith("622202").isNotEqualTo(card);
        assertThat(BankCardNumber.isValid(token)).isTrue();
        assertThat(create("bank_card", Map.of()).mask("6222021234567890129")).isEqualTo("*".repeat(19));
    }

    @Test
    void socialCreditCode_tokenKeepsRegionAndIsValid() {
        String body = "91420100" + "MA4K0B7Q1";
        String code = body + SocialCreditCode.checkCharacter(body);
        assertThat(SocialCreditCode.isValid(code)).isTrue();
        String token = (String) create("social_credit_code", Map.of()).mask(code);
        assertThat(token).startsWith("91420100").hasSize(18).isNotEqualTo(code);
        assertThat(SocialCreditCode.isValid(token)).isTrue();
        assertThat(create("social_credit_code", Map.of()).mask("91420100MA4K0B7Q1Z")).isEqualTo("*".repeat(18));
    }

    @Test
    void emailAndPlate_keepOnlyWhatIsPublicEnough() {
        assertThat(create("email", Map.of()).mask("zhang.wei@example.cn")).isEqualTo("z********@example.cn");
        assertThat(create("email", Map.of()).mask("not-an-email")).isEqualTo("***");
        assertThat(create("email", Map.of()).mask("a@b@c")).isEqualTo("***");
        assertThat(create("licence_plate", Map.of()).mask("鄂A12345")).isEqualTo("鄂A*****");
        assertThat(create("licence_plate", Map.of()).mask("鄂AD12345")).isEqualTo("鄂A******");
        assertThat(create("licence_plate", Map.of()).mask("XYZ")).isEqualTo("***");
    }

    @ParameterizedTest
    @EnumSource(KeyedPseudonym.Algorithm.class)
    void ff1_preservesFormatAndIsDeterministic(KeyedPseudonym.Algorithm profile) {
        byte[] key = profile == KeyedPseudonym.Algorithm.SM3 ? KEY : (new String(KEY, StandardCharsets.US_ASCII)
                + new String(OTHER_KEY, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        Ff1Mask f = new Ff1Mask(key, profile, 3, "phone");
        String masked = (String) f.mask("13812345678");
        assertThat(masked).hasSize(11).startsWith("138").matches("\\d{11}").isNotEqualTo("13812345678");
        assertThat(f.mask("13812345678")).isEqualTo(masked);
        assertThat(new Ff1Mask(key, profile, 3, "other tweak").mask("13812345678")).isNotEqualTo(masked);
        assertThat(f.mask("138123")).isEqualTo("******"); // 3 digits left: below FF1's domain
        assertThat(f.mask("138abcdefgh")).isEqualTo("*".repeat(11));
        assertThat(f.toString()).doesNotContain("0123");
    }

    @Test
    void numberGeneralizations_keepTypes() {
        assertThat(create("top_bottom", Map.of("bottom", "0", "top", "90")).mask(97)).isEqualTo(90);
        assertThat(create("top_bottom", Map.of("bottom", "1000", "top", "500000")).mask(800000.0)).isEqualTo(500000.0);
        assertThat(create("round", Map.of("step", "1000")).mask(43512.0)).isEqualTo(44000.0);
        assertThat(create("round", Map.of("step", "5")).mask(37L)).isEqualTo(35L);
        MaskingFunction noise = create("noise", Map.of("bound", "100"));
        Object noisy = noise.mask(50000.0);
        assertThat((Double) noisy).isBetween(49900.0, 50100.0).isNotEqualTo(50000.0);
        assertThat(noise.mask(50000.0)).isEqualTo(noisy);
        assertThat(noise.mask(12)).isInstanceOf(Integer.class);
        assertThatThrownBy(() -> create("round", Map.of("step", "0"))).isInstanceOf(MaskingException.class);
        assertThatThrownBy(() -> create("noise", Map.of())).hasMessageContaining("bound is required");
        assertThatThrownBy(() -> noise.outputType(ValueType.STRING)).hasMessageContaining("numeric");
    }

    @Test
    void partial_surrogatesStillCountAsOneCharacter() {
        assertThat(PartialMask.apply("ab𠀀cd", 1, 1, '*')).isEqualTo("a***d");
        assertThat(PartialMask.apply("abcd", 1, 1, '*')).isEqualTo("a**d");
    }
}
