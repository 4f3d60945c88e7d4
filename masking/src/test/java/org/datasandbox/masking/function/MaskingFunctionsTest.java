package org.datasandbox.masking.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.Test;

class MaskingFunctionsTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static MaskingFunction create(String function, Map<String, String> params) {
        return MaskingFunctions.create(new MaskingSpec(function, params), KEY, KeyedPseudonym.Algorithm.SM3);
    }

    @Test
    void residentId_keepRegion_hidesBirthDateAndSequence() {
        String id = ResidentIdNumber.of("420102", LocalDate.of(1985, 12, 1), 37);
        assertThat(create("resident_id", Map.of("keep", "region")).mask(id)).isEqualTo("420102************");
        assertThat(create("resident_id", Map.of("keep", "region_and_birth_year")).mask(id))
                .isEqualTo("4201021985********");
    }

    @Test
    void residentId_manyRegionsAndYears_eachKeepsItsOwnPrefix() {
        // Masked outputs are reused per kept prefix: colliding prefixes must never share an output.
        SplittableRandom random = new SplittableRandom(7);
        MaskingFunction region = new ResidentIdMask(ResidentIdMask.Keep.REGION);
        MaskingFunction regionAndYear = new ResidentIdMask(ResidentIdMask.Keep.REGION_AND_BIRTH_YEAR);
        for (int i = 0; i < 50_000; i++) {
            String code = Integer.toString(110_000 + random.nextInt(540_000));
            String id = ResidentIdNumber.of(code, LocalDate.of(1900 + random.nextInt(120), 1, 1), random.nextInt(1000));
            assertThat(region.mask(id)).isEqualTo(code + "*".repeat(12));
            assertThat(regionAndYear.mask(id)).isEqualTo(id.substring(0, 10) + "*".repeat(8));
        }
    }

    @Test
    void residentId_malformed_isMaskedWhole() {
        MaskingFunction f = create("resident_id", Map.of());
        assertThat(f.mask("420102198512010371")).isEqualTo("*".repeat(18)); // wrong check digit
        assertThat(f.mask("12345")).isEqualTo("*".repeat(18));
        assertThat(f.mask("")).isEqualTo("");
        assertThat(f.mask(null)).isNull();
    }

    @Test
    void mobile_valid_keepsPrefixAndLastFour() {
        MaskingFunction f = create("mobile", Map.of());
        assertThat(f.mask("13812345678")).isEqualTo("138****5678");
        assertThat(f.mask("12812345678")).isEqualTo("***********"); // no such carrier prefix
        assertThat(f.mask("138-1234-5678")).isEqualTo("***********");
        assertThat(f.mask(null)).isNull();
    }

    @Test
    void chineseName_hanName_keepsSurnameOnly_notTheLength() {
        MaskingFunction f = create("chinese_name", Map.of());
        assertThat(f.mask("张三丰")).isEqualTo("张**");
        assertThat(f.mask("王芳")).isEqualTo("王**");
        assertThat(f.mask("欧阳修远")).isEqualTo("欧阳**");
        assertThat(f.mask("李")).isEqualTo("***");
        assertThat(f.mask("")).isEqualTo("");
    }

    @Test
    void chineseName_latinOrMixedScript_keepsNeitherLetterNorLength() {
        MaskingFunction f = create("chinese_name", Map.of());
        // today's mask kept "A**********": first letter and exact length
        for (String name : List.of("Alice Smith", "Braund, Mr. Owen Harris", "Li Na", "李Anna", "Ünal", "张三丰李四王五")) {
            assertThat(f.mask(name)).as(name).isEqualTo("***");
        }
    }

    /** Oracle: among generated Latin names, no masked value may tell two names of different lengths apart. */
    @Test
    void chineseName_generatedLatinNames_allMaskToOneValue() {
        MaskingFunction f = create("chinese_name", Map.of());
        java.util.Random random = new java.util.Random(11);
        java.util.Set<Object> masked = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder name = new StringBuilder();
            int length = 2 + random.nextInt(30);
            for (int c = 0; c < length; c++) {
                name.append(c % 7 == 6 ? ' ' : (char) ('a' + random.nextInt(26)));
            }
            masked.add(f.mask(name.toString()));
        }
        assertThat(masked).containsExactly("***");
    }

    @Test
    void partial_tooShortToHideAnything_isMaskedWhole() {
        MaskingFunction f = create("partial", Map.of("keep_prefix", "2", "keep_suffix", "2"));
        assertThat(f.mask("abcdefg")).isEqualTo("ab***fg");
        assertThat(f.mask("abcd")).isEqualTo("****");
        assertThat(f.mask("𠀀𠀁𠀂𠀃𠀄")).isEqualTo("𠀀𠀁*𠀃𠀄"); // code points, not chars
    }

    @Test
    void dateTruncate_timestamps_truncateInUtc_toEachUnit_andKeepTheirJavaType() {
        java.time.Instant seen = java.time.Instant.parse("1969-12-31T23:59:59.5Z");
        Map<String, String> expected = Map.of("year", "1969-01-01T00:00:00Z", "month", "1969-12-01T00:00:00Z",
                "day", "1969-12-31T00:00:00Z", "hour", "1969-12-31T23:00:00Z");
        java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Asia/Shanghai")); // UTC whatever the JVM's zone
            expected.forEach((unit, start) -> {
                MaskingFunction truncate = create("date_truncate", Map.of("unit", unit));
                assertThat(truncate.outputType(ValueType.TIMESTAMP)).isEqualTo(ValueType.TIMESTAMP);
                assertThat(truncate.mask(seen)).as(unit).isEqualTo(java.time.Instant.parse(start));
                assertThat(truncate.mask(java.sql.Timestamp.from(seen))).as(unit)
                        .isEqualTo(java.sql.Timestamp.from(java.time.Instant.parse(start)));
            });
        } finally {
            java.util.TimeZone.setDefault(jvmZone);
        }
        assertThat(create("date_truncate", Map.of("unit", "hour")).mask(null)).isNull();
    }

    @Test
    void dateTruncate_dayOrHourOfADate_orAnotherType_isRefused() {
        assertThatThrownBy(() -> create("date_truncate", Map.of("unit", "day")).outputType(ValueType.DATE))
                .isInstanceOf(MaskingException.class).hasMessageContaining("applies to timestamp columns");
        assertThatThrownBy(() -> create("date_truncate", Map.of("unit", "year")).outputType(ValueType.STRING))
                .isInstanceOf(MaskingException.class).hasMessageContaining("date and timestamp columns");
        assertThatThrownBy(() -> create("date_truncate", Map.of("unit", "month")).mask("2024-03-07"))
                .isInstanceOf(MaskingException.class).hasMessageNotContaining("2024");
        assertThatThrownBy(() -> create("date_truncate", Map.of("unit", "week")))
                .isInstanceOf(MaskingException.class).hasMessageContaining("unit");
    }

    @Test
    void dateTruncate_andBand_keepTheColumnType() {
        assertThat(create("date_truncate", Map.of("unit", "month")).mask(LocalDate.of(1990, 3, 7)))
                .isEqualTo(LocalDate.of(1990, 3, 1));
        assertThat(create("date_truncate", Map.of()).mask(LocalDate.of(1990, 3, 7))).isEqualTo(LocalDate.of(1990, 1, 1));
        MaskingFunction band = create("band", Map.of("width", "10"));
        assertThat(band.mask(37)).isEqualTo(30);
        assertThat(band.mask(-3L)).isEqualTo(-10L);
        assertThat(band.mask(37.9)).isEqualTo(30.0);
        assertThat(band.mask(Double.NaN)).isNull();
        assertThat(band.outputType(ValueType.INTEGER)).isEqualTo(ValueType.INTEGER);
    }

    /**
     * Top- and bottom-coded bands: oracle over generated values, from the definition alone: a value below the
     * bottom code reads the bottom code, at or above the top code the top code, and otherwise the lower edge of its
     * band counted from the bottom code; every output is a band edge between the codes.
     */
    @Test
    void band_withBottomAndTopCodes_readsTheCodesOutside_andBandsFromTheBottomInside() {
        MaskingFunction band = create("band", Map.of("width", "10000", "bottom", "5000", "top", "155000"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            double value = random.nextDouble(-50_000, 400_000);
            double masked = (double) band.mask(value);
            double expected = value < 5_000 ? 5_000 : value >= 155_000 ? 155_000 : 5_000 + 10_000 * Math.floor((value - 5_000) / 10_000);
            assertThat(masked).as("%s", value).isEqualTo(expected);
            assertThat((masked - 5_000) % 10_000).isZero();
            assertThat(masked).isBetween(5_000.0, 155_000.0);
        }
        assertThat(band.mask(155_000)).isEqualTo(155_000);
        assertThat(band.mask(154_999L)).isEqualTo(145_000L);
        assertThat(create("band", Map.of("width", "10", "top", "100")).mask(-37)).isEqualTo(-40);
        assertThatThrownBy(() -> create("band", Map.of("width", "10000", "bottom", "0", "top", "155000")))
                .hasMessageContaining("top must be bottom plus a multiple of width");
        assertThatThrownBy(() -> create("band", Map.of("width", "10", "bottom", "100", "top", "100")))
                .hasMessageContaining("bottom must be < top");
        assertThatThrownBy(() -> create("band", Map.of("width", "10", "top", "lots")))
                .hasMessageContaining("top must be a number");
    }

    @Test
    void pseudonym_isStableKeyedAndJoinsIntWithLong() {
        MaskingFunction f = create("pseudonym", Map.of());
        MaskingFunction otherKey = new KeyedPseudonym(new byte[32], KeyedPseudonym.Algorithm.SM3, "p_");
        assertThat(f.mask(42)).isEqualTo(f.mask(42L)).isInstanceOf(Long.class);
        assertThat((Long) f.mask(42)).isNotNegative().isNotEqualTo(42L);
        assertThat(f.mask(42)).isNotEqualTo(otherKey.mask(42));
        assertThat((String) f.mask("420102198512010371")).startsWith("p_").hasSize(34).doesNotContain("420102");
        assertThat(f.outputType(ValueType.INTEGER)).isEqualTo(ValueType.LONG);
    }

    @Test
    void pseudonym_sm3AndSha256_differ() {
        MaskingFunction sm3 = new KeyedPseudonym(KEY, KeyedPseudonym.Algorithm.SM3, "p_");
        MaskingFunction sha = new KeyedPseudonym(KEY, KeyedPseudonym.Algorithm.SHA256, "p_");
        assertThat(sm3.mask("x")).isNotEqualTo(sha.mask("x"));
        assertThat(sm3.toString()).doesNotContain("0123");
    }

    @Test
    void create_unknownFunctionOrParameter_isRefusedWithName() {
        assertThatThrownBy(() -> create("scramble", Map.of()))
                .isInstanceOf(MaskingException.class).hasMessageContaining("unknown masking function 'scramble'");
        assertThatThrownBy(() -> create("mobile", Map.of("keep", "3")))
                .isInstanceOf(MaskingException.class).hasMessageContaining("no parameter 'keep'");
        assertThatThrownBy(() -> create("band", Map.of("width", "ten")))
                .isInstanceOf(MaskingException.class).hasMessageContaining("width must be an integer");
    }

    @Test
    void columnMasking_functionOfWrongType_isRefused() {
        assertThatThrownBy(() -> new ColumnMasking("birth_date", ValueType.DATE, create("mobile", Map.of())))
                .isInstanceOf(MaskingException.class).hasMessageContaining("string columns, not DATE");
        assertThatThrownBy(() -> new ColumnMasking("age", ValueType.INTEGER, create("redact", Map.of())))
                .isInstanceOf(MaskingException.class).hasMessageContaining("use nullify");
    }

    @Test
    void maskAll_aColumnAtATime_equalsValueByValue_andRefusesAShortOutput() {
        MaskingFunction[] functions = {new MobileMask(), new ChineseNameMask(), new ResidentIdMask(ResidentIdMask.Keep.REGION),
            new KeyedPseudonym("column-key-for-batch-tests".getBytes(StandardCharsets.US_ASCII), KeyedPseudonym.Algorithm.SM3, "p_")};
        Object[] values = {"13812345678", null, "", "王小明", "420102199001011234", "garbage"};
        for (MaskingFunction function : functions) {
            Object[] out = new Object[values.length];
            function.maskAll(values, out);
            for (int i = 0; i < values.length; i++) {
                assertThat(out[i]).as(function.name() + " at " + i).isEqualTo(function.mask(values[i]));
            }
            assertThat(out[1]).isNull();
        }
        assertThatThrownBy(() -> new MobileMask().maskAll(values, new Object[2])).hasMessageContaining("fewer than the 6");
    }
}
