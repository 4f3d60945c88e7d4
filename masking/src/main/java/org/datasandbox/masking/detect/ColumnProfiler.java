package org.datasandbox.masking.detect;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * proposes the more protective role: a column it cannot place is a direct identifier, redacted.
 */
public final class ColumnProfiler {
    private static final MaskingSpec PSEUDONYM = MaskingSpec.of("pseudonym");
    private static final MaskingSpec REDACT = MaskingSpec.of("redact");
    private static final double FORMAT_SHARE = 0.9;
    private static final double TEXT_SHARE = 0.8;
    private static final int DIMENSION_VALUES = 50;
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
        List<ColumnProposal> proposals = new ArrayList<>();
        for (ColumnProfile column : columns) {
            proposals.add(propose(column));
        }
        return withOnePrivacyUnit(columns, proposals);
    }

    static ColumnProposal propose(ColumnProfile column) {
        String name = column.name().toLowerCase(Locale.ROOT);
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
        if (unique(column) && (keyType(column) && (!text || maxLength(column) <= 40)) && hints(name, "id", "no", "key", "编号", "号")) {
            return ColumnProposal.masked(column.name(), Role.PRIVACY_UNIT, PSEUDONYM,
                    "every value is distinct and the name reads like a key");
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
        if (number) {
            if (hints(name, "age", "年龄") && column.max() <= 150) {
                return ColumnProposal.masked(column.name(), Role.QUASI_IDENTIFIER, MaskingSpec.of("band", "width", "10"),
                        "a number whose name reads like an age")
                        .withBounds(new Bounds(BigDecimal.ZERO, BigDecimal.valueOf(120))).withBucket(Bucket.ofWidth(5));
            }
            if (column.distinct() <= 20) {
                return ColumnProposal.of(column.name(), Role.DIMENSION,
                        "a number with at most 20 distinct values: a code or category");
            }
            if (unique(column)) {
                return identifier(column, hiding(column), "every value is distinct: it may single people out");
            }
            return ColumnProposal.of(column.name(), Role.MEASURE,
                    "a number with many values; bounds rounded outward from the data, check them")
                    .withBounds(new Bounds(new BigDecimal(column.min() >= 0 ? "0" : nice(column.min())),
                            new BigDecimal(column.max() <= 0 ? "0" : nice(column.max()))));
        }
        if (column.type().equals("boolean")) {
            return ColumnProposal.of(column.name(), Role.DIMENSION, "a yes/no value");
        }
        if (column.distinct() <= DIMENSION_VALUES) {
            boolean sensitive = hints(name, "diagnos", "disease", "icd", "illness", "诊断", "疾病", "病", "religion", "宗教");
            return ColumnProposal.of(column.name(), sensitive ? Role.SENSITIVE_ATTRIBUTE : Role.DIMENSION,
                    "text with at most " + DIMENSION_VALUES + " distinct values" + (sensitive ? "; the name reads like health data" : ""));
        }
        return identifier(column, REDACT, "text with many distinct values that matches no known format: treated as identifying");
    }

    /**
     * Exactly one privacy unit: a key named after people (person_id, patient_no) wins even when it repeats,
     * as in a table of visits; else the first distinct key; else the column with the most distinct values.
     * Other candidates become identifiers.
     */
    private static List<ColumnProposal> withOnePrivacyUnit(List<ColumnProfile> columns, List<ColumnProposal> proposals) {
        int unit = -1;
        for (int i = 0; i < columns.size() && unit < 0; i++) {
            String name = columns.get(i).name().toLowerCase(Locale.ROOT);
            boolean key = hints(name, "id", "no", "key", "编号", "号");
            boolean person = hints(name, "person", "patient", "resident", "citizen", "customer", "user", "member", "人员", "患者", "居民");
            if (key && person && keyType(columns.get(i))) {
                unit = i;
                proposals.set(i, ColumnProposal.masked(columns.get(i).name(), Role.PRIVACY_UNIT, PSEUDONYM,
                        "the name reads like the key of a person"));
            }
        }
        for (int i = 0; i < proposals.size(); i++) {
            if (proposals.get(i).role() == Role.PRIVACY_UNIT && i != unit) {
                if (unit < 0) {
                    unit = i;
                } else {
                    proposals.set(i, identifier(columns.get(i), hiding(columns.get(i)), "distinct per row, but another column is the privacy unit"));
                }
            }
        }
        if (unit < 0) {
            for (int i = 0; i < columns.size(); i++) {
                if (unique(columns.get(i)) && proposals.get(i).role() == Role.DIRECT_IDENTIFIER
                        && keyType(columns.get(i))) {
                    proposals.set(i, ColumnProposal.masked(columns.get(i).name(), Role.PRIVACY_UNIT, PSEUDONYM,
                            "every value is distinct: the only candidate for the privacy unit; check it"));
                    return proposals;
                }
            }
            // a policy needs one: the column with the most distinct values, for the admin to confirm or change
            // (among the columns pseudonyms apply to, when there are any)
            int most = -1;
            for (int i = 0; i < columns.size(); i++) {
                boolean better = most < 0 || keyType(columns.get(i)) && !keyType(columns.get(most))
                        || keyType(columns.get(i)) == keyType(columns.get(most)) && columns.get(i).distinct() > columns.get(most).distinct();
                most = better ? i : most;
            }
            ColumnProfile chosen = columns.get(most);
            proposals.set(most, ColumnProposal.masked(chosen.name(), Role.PRIVACY_UNIT, keyType(chosen) ? PSEUDONYM : hiding(chosen),
                    "no column reads like a person key: the one with the most distinct values; check it"));
        }
        return proposals;
    }

    private static ColumnProposal identifier(ColumnProfile column, MaskingSpec mask, String evidence) {
        return ColumnProposal.masked(column.name(), Role.DIRECT_IDENTIFIER, mask, evidence);
    }

    /** Whether pseudonyms apply: text and whole numbers. */
    private static boolean keyType(ColumnProfile column) {
        return column.type().equals("string") || column.type().equals("integer") || column.type().equals("bigint");
    }

    /** Hides every value: redaction for text, nothing at all for other types (redaction is text only). */
    private static MaskingSpec hiding(ColumnProfile column) {
        return column.type().equals("string") ? REDACT : MaskingSpec.of("nullify");
    }

    private static MaskingSpec truncate(String unit) {
        return MaskingSpec.of("date_truncate", "unit", unit);
    }

    private static double share(ColumnProfile column, Predicate<String> test) {
        if (column.values().isEmpty()) {
            return 0;
        }
        return column.values().stream().filter(test).count() / (double) column.values().size();
    }

    private static boolean unique(ColumnProfile column) {
        return column.rows() >= 20 && column.distinct() >= 0.95 * column.rows();
    }

    private static int maxLength(ColumnProfile column) {
        return column.values().stream().mapToInt(String::length).max().orElse(0);
    }

    private static boolean hints(String name, String... words) {
        for (String word : words) {
            if (name.equals(word) || name.startsWith(word + "_") || name.endsWith("_" + word) || name.contains("_" + word + "_")
                    || !word.chars().allMatch(c -> c < 128) && name.contains(word) || word.length() > 3 && name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static String sampled(ColumnProfile column) {
        return String.format("%,d sampled values", column.values().size());
    }

    private static String percent(double share) {
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
