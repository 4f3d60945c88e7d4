package org.datasandbox.masking.detect;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.datasandbox.masking.detect.ColumnProposal.Bounds;
import org.datasandbox.masking.detect.ColumnProposal.Bucket;
import org.datasandbox.masking.detect.ColumnProposal.Role;
import org.datasandbox.masking.id.BankCardNumber;
import org.datasandbox.masking.id.LicencePlate;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.id.SocialCreditCode;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * Proposes a role and a mask for every column of a newly registered table, from formats first (check
 * digits, carrier prefixes), then column names, then how many distinct values there are. When unsure it
 * proposes the more protective role: a column it cannot place is a direct identifier, redacted. A column
 * named like a key is never a measure; {@link PrivacyUnit} picks the key of people among them, and
 * {@link SensitiveAttributes} the special categories of data.
 */
public final class ColumnProfiler {
    static final MaskingSpec PSEUDONYM = MaskingSpec.of("pseudonym");
    private static final MaskingSpec REDACT = MaskingSpec.of("redact");
    private static final double FORMAT_SHARE = 0.9;
    private static final double TEXT_SHARE = 0.8;
    private static final int DIMENSION_VALUES = 50;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern CJK_NAME = Pattern.compile("[\\u4e00-\\u9fff]{2,4}");
    private static final Pattern ADDRESS = Pattern.compile(".*[\\u4e00-\\u9fff].*[省市区县镇乡路街巷道号楼室村].*");
    // the hundred most common surnames cover about 85% of the population
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            + "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧司诸上东";

    private record Format(String name, MaskingSpec mask, Predicate<String> valid, String evidence) {
    }

    private static final List<Format> FORMATS = List.of(
            new Format("resident ID numbers", MaskingSpec.of("resident_id", "keep", "region"), ResidentIdNumber::isValid,
                    "valid resident ID numbers (GB 11643 check character)"),
            new Format("mobile numbers", MaskingSpec.of("mobile"), MobileNumber::isValid, "mobile numbers with carrier prefixes"),
            new Format("bank card numbers", MaskingSpec.of("bank_card"), v -> v.length() >= 16 && BankCardNumber.isValid(v),
                    "card numbers with a valid Luhn digit"),
            new Format("social credit codes", MaskingSpec.of("social_credit_code"), SocialCreditCode::isValid,
                    "unified social credit codes (GB 32100 check character)"),
            new Format("e-mail addresses", MaskingSpec.of("email"), v -> EMAIL.matcher(v).matches(), "e-mail addresses"),
            new Format("licence plates", MaskingSpec.of("licence_plate"), LicencePlate::isValid, "vehicle licence plates"));

    private ColumnProfiler() {
    }

    /** A proposal per column, with exactly one privacy unit. */
    public static List<ColumnProposal> propose(List<ColumnProfile> columns) {
        boolean health = columns.stream().anyMatch(c -> hints(lower(c), HEALTH));
        List<ColumnProposal> proposals = new ArrayList<>();
        for (ColumnProfile column : columns) {
            proposals.add(propose(column, health));
        }
        return PrivacyUnit.choose(columns, proposals);
    }

    static ColumnProposal propose(ColumnProfile column) {
        return propose(column, false);
    }

    /** The proposal of one column as if another column were the privacy unit; {@link PrivacyUnit} picks the unit. */
    static ColumnProposal propose(ColumnProfile column, boolean health) {
        String name = lower(column);
        boolean text = column.type().equals("string");
        boolean number = column.type().equals("integer") || column.type().equals("bigint") || column.type().equals("double");
        if (text) {
            for (Format format : FORMATS) {
                double share = share(column, format.valid());
                if (share >= FORMAT_SHARE) {
                    return identifier(column, format.mask(), percent(share) + " of " + sampled(column) + " are " + format.evidence());
                }
            }
            double names = share(column, v -> CJK_NAME.matcher(v).matches() && SURNAMES.indexOf(v.charAt(0)) >= 0);
            if (names >= TEXT_SHARE && column.distinct() > DIMENSION_VALUES) {
                return identifier(column, MaskingSpec.of("chinese_name"), percent(names) + " of " + sampled(column)
                        + " are two to four Chinese characters starting with a common surname");
            }
            double addresses = share(column, v -> v.length() >= 6 && ADDRESS.matcher(v).matches());
            if (addresses >= TEXT_SHARE && column.distinct() > DIMENSION_VALUES) {
                return identifier(column, MaskingSpec.of("address"), percent(addresses) + " of " + sampled(column)
                        + " read like addresses (province, city, district, road or number)");
            }
        }
        if (keyName(name) && (text ? codeLike(column) : number && !fractional(column))) {
            // a key is never a measure or a category, even when it repeats; the unit is chosen among the keys later
            return identifier(column, hiding(column), "the name reads like a key" + (text ? " and the values are short codes" : "")
                    + "; " + cardinality(column));
        }
        if (column.type().equals("timestamp")) {
            return ColumnProposal.masked(column.name(), Role.QUASI_IDENTIFIER, truncate("month"),
                    "a timestamp: exact times help single people out");
        }
        if (column.type().equals("date")) {
            if (hints(name, "birth", "dob", "出生", "生日")) {
                return ColumnProposal.masked(column.name(), Role.QUASI_IDENTIFIER, truncate("year"),
                        "a date whose name reads like a birth date").withBucket(Bucket.ofDates("decade"));
            }
            return ColumnProposal.masked(column.name(), Role.QUASI_IDENTIFIER, truncate("month"),
                    "a date: exact dates help single people out").withBucket(Bucket.ofDates("month"));
        }
        Optional<String> sensitive = SensitiveAttributes.reason(column, health);
        if (number) {
            if (hints(name, "age", "年龄") && column.max() <= 150) {
                return ColumnProposal.masked(column.name(), Role.QUASI_IDENTIFIER, MaskingSpec.of("band", "width", "10"),
                        "a number whose name reads like an age")
                        .withBounds(new Bounds(BigDecimal.ZERO, BigDecimal.valueOf(120))).withBucket(Bucket.ofWidth(5));
            }
            if (column.distinct() <= 20) {
                return sensitive.map(why -> ColumnProposal.of(column.name(), Role.SENSITIVE_ATTRIBUTE,
                                "a number with at most 20 distinct values; " + why))
                        .orElseGet(() -> ColumnProposal.of(column.name(), Role.DIMENSION,
                                "a number with at most 20 distinct values: a code or category"));
            }
            boolean measure = fractional(column) || hints(name, MEASURES);
            if (unique(column) && !measure) {
                return identifier(column, hiding(column), "every value is distinct and the values are whole numbers: "
                        + "it may single people out; check it");
            }
            return ColumnProposal.of(column.name(), Role.MEASURE, (unique(column)
                            ? "every value is distinct, but it is a measurement (" + (fractional(column) ? "fractional values"
                            : "the name reads like a quantity") + "), never a key; " : "a number with many values; ")
                            + "bounds rounded outward from the data, check them")
                    .withBounds(new Bounds(new BigDecimal(column.min() >= 0 ? "0" : nice(column.min())),
                            new BigDecimal(column.max() <= 0 ? "0" : nice(column.max()))));
        }
        if (column.type().equals("boolean")) {
            return sensitive.map(why -> ColumnProposal.of(column.name(), Role.SENSITIVE_ATTRIBUTE, "a yes/no value; " + why))
                    .orElseGet(() -> ColumnProposal.of(column.name(), Role.DIMENSION, "a yes/no value"));
        }
        if (sensitive.isPresent()) {
            return ColumnProposal.of(column.name(), Role.SENSITIVE_ATTRIBUTE, "text with " + (column.distinct() <= DIMENSION_VALUES
                    ? "at most " + DIMENSION_VALUES : "more than " + DIMENSION_VALUES) + " distinct values; " + sensitive.get());
        }
        if (column.distinct() <= DIMENSION_VALUES) {
            return ColumnProposal.of(column.name(), Role.DIMENSION, "text with at most " + DIMENSION_VALUES + " distinct values");
        }
        return identifier(column, REDACT, "text with many distinct values that matches no known format: treated as identifying");
    }

    // ---- what names and values say, shared with PrivacyUnit and SensitiveAttributes ----------------------

    /** Names of keys: a person's or a row's. */
    static boolean keyName(String name) {
        return hints(name, "id", "no", "key", "pid", "uid", "mrn", "subject", "subj", "participant", "编号", "号");
    }

    /** Words of a health table: they make status, death and outcome flags sensitive. */
    static final String[] HEALTH = {"patient", "diagnos", "disease", "icd", "illness", "death", "died", "hospital", "clinic",
        "treatment", "therapy", "surgery", "futime", "survival", "medic", "drug", "creatinine", "blood", "患者", "诊断", "医", "病"};

    /** Names of quantities: such a column is a measure even when every value is distinct. */
    static final String[] MEASURES = {"time", "days", "months", "years", "duration", "amount", "income", "salary", "wage",
        "price", "fee", "cost", "weight", "height", "score", "level", "rate", "ratio", "dose", "count", "total", "size",
        "length", "value", "金额", "收入", "费用"};

    static String lower(ColumnProfile column) {
        return column.name().toLowerCase(Locale.ROOT);
    }

    /** Whether some sampled value has a fractional part (1.5, not 2.0): a measurement, never a key. */
    static boolean fractional(ColumnProfile column) {
        if (!column.type().equals("double") && !column.type().equals("string")) {
            return false;
        }
        for (String value : column.values()) {
            try {
                if (new BigDecimal(value.strip()).stripTrailingZeros().scale() > 0) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not a number: no fraction
            }
        }
        return false;
    }

    /** Short codes of letters, digits and separators: what keys look like as text. */
    static boolean codeLike(ColumnProfile column) {
        return maxLength(column) <= 40 && share(column, v -> CODE.matcher(v).matches()) >= FORMAT_SHARE;
    }

    /** How many rows share a value, in words: never a value. */
    static String cardinality(ColumnProfile column) {
        if (column.distinct() <= 0) {
            return "no values";
        }
        if (unique(column) || column.distinct() >= column.rows()) {
            return "every value is distinct";
        }
        return String.format(Locale.ROOT, "about %.1f rows per value", column.rows() / (double) column.distinct());
    }

    static ColumnProposal identifier(ColumnProfile column, MaskingSpec mask, String evidence) {
        return ColumnProposal.masked(column.name(), Role.DIRECT_IDENTIFIER, mask, evidence);
    }

    /** Whether pseudonyms apply: text and whole numbers. */
    static boolean keyType(ColumnProfile column) {
        return column.type().equals("string") || column.type().equals("integer") || column.type().equals("bigint");
    }

    /** Hides every value: redaction for text, nothing at all for other types (redaction is text only). */
    static MaskingSpec hiding(ColumnProfile column) {
        return column.type().equals("string") ? REDACT : MaskingSpec.of("nullify");
    }

    private static MaskingSpec truncate(String unit) {
        return MaskingSpec.of("date_truncate", "unit", unit);
    }

    static double share(ColumnProfile column, Predicate<String> test) {
        if (column.values().isEmpty()) {
            return 0;
        }
        return column.values().stream().filter(test).count() / (double) column.values().size();
    }

    static boolean unique(ColumnProfile column) {
        return column.rows() >= 20 && column.distinct() >= 0.95 * column.rows();
    }

    static int maxLength(ColumnProfile column) {
        return column.values().stream().mapToInt(String::length).max().orElse(0);
    }

    static boolean hints(String name, String... words) {
        for (String word : words) {
            if (name.equals(word) || name.startsWith(word + "_") || name.endsWith("_" + word) || name.contains("_" + word + "_")
                    || !word.chars().allMatch(c -> c < 128) && name.contains(word) || word.length() > 3 && name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static String sampled(ColumnProfile column) {
        return String.format("%,d sampled values", column.values().size());
    }

    static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /** A round number at least as far from zero: 1, 2 or 5 times a power of ten. */
    static String nice(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return "0";
        }
        double magnitude = Math.abs(value);
        double power = Math.pow(10, Math.floor(Math.log10(magnitude)));
        double rounded = power;
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= magnitude) {
                rounded = step * power;
                break;
            }
        }
        long whole = Math.round(rounded);
        String text = rounded >= 1 ? Long.toString(whole) : java.math.BigDecimal.valueOf(rounded).stripTrailingZeros().toPlainString();
        return value < 0 ? "-" + text : text;
    }
}
