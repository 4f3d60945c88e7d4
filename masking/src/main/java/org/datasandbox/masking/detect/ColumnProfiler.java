package org.datasandbox.masking.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.datasandbox.masking.id.BankCardNumber;
import org.datasandbox.masking.id.LicencePlate;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.id.SocialCreditCode;

/**
 * Proposes a role and a mask for every column of a newly registered table, from formats first (check
 * digits, carrier prefixes), then column names, then how many distinct values there are. When unsure it
 * proposes the more protective role: a column it cannot place is a direct identifier, redacted.
 */
public final class ColumnProfiler {
    private static final double FORMAT_SHARE = 0.9;
    private static final double TEXT_SHARE = 0.8;
    private static final int DIMENSION_VALUES = 50;
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern CJK_NAME = Pattern.compile("[\\u4e00-\\u9fff]{2,4}");
    private static final Pattern ADDRESS = Pattern.compile(".*[\\u4e00-\\u9fff].*[省市区县镇乡路街巷道号楼室村].*");
    // the hundred most common surnames cover about 85% of the population
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            + "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧司诸上东";

    private record Format(String name, String mask, Predicate<String> valid, String evidence) {
    }

    private static final List<Format> FORMATS = List.of(
            new Format("resident ID numbers", "{function: resident_id, keep: region}", ResidentIdNumber::isValid,
                    "valid resident ID numbers (GB 11643 check character)"),
            new Format("mobile numbers", "mobile", MobileNumber::isValid, "mobile numbers with carrier prefixes"),
            new Format("bank card numbers", "bank_card", v -> v.length() >= 16 && BankCardNumber.isValid(v),
                    "card numbers with a valid Luhn digit"),
            new Format("social credit codes", "social_credit_code", SocialCreditCode::isValid,
                    "unified social credit codes (GB 32100 check character)"),
            new Format("e-mail addresses", "email", v -> EMAIL.matcher(v).matches(), "e-mail addresses"),
            new Format("licence plates", "licence_plate", LicencePlate::isValid, "vehicle licence plates"));

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
                return identifier(column, "chinese_name", percent(names) + " of " + sampled(column)
                        + " are two to four Chinese characters starting with a common surname");
            }
            double addresses = share(column, v -> v.length() >= 6 && ADDRESS.matcher(v).matches());
            if (addresses >= TEXT_SHARE && column.distinct() > DIMENSION_VALUES) {
                return identifier(column, "address", percent(addresses) + " of " + sampled(column)
                        + " read like addresses (province, city, district, road or number)");
            }
        }
        if (unique(column) && (number || text && maxLength(column) <= 40) && hints(name, "id", "no", "key", "编号", "号")) {
            return new ColumnProposal(column.name(), "privacy_unit", "pseudonym", "",
                    "every value is distinct and the name reads like a key");
        }
        if (column.type().equals("timestamp")) {
            return new ColumnProposal(column.name(), "quasi_identifier", "{function: date_truncate, unit: month}", "",
                    "a timestamp: exact times help single people out");
        }
        if (column.type().equals("date")) {
            if (hints(name, "birth", "dob", "出生", "生日")) {
                return new ColumnProposal(column.name(), "quasi_identifier", "{function: date_truncate, unit: year}",
                        "bucket: {date_unit: decade}", "a date whose name reads like a birth date");
            }
            return new ColumnProposal(column.name(), "quasi_identifier", "{function: date_truncate, unit: month}",
                    "bucket: {date_unit: month}", "a date: exact dates help single people out");
        }
        if (number) {
            if (hints(name, "age", "年龄") && column.max() <= 150) {
                return new ColumnProposal(column.name(), "quasi_identifier", "{function: band, width: 10}",
                        "bounds: [0, 120], bucket: {width: 5}", "a number whose name reads like an age");
            }
            if (column.distinct() <= 20) {
                return new ColumnProposal(column.name(), "dimension", "", "",
                        "a number with at most 20 distinct values: a code or category");
            }
            if (unique(column)) {
                return identifier(column, "redact", "every value is distinct: it may single people out");
            }
            return new ColumnProposal(column.name(), "measure", "", "bounds: [" + (column.min() >= 0 ? "0" : nice(column.min())) + ", "
                            + (column.max() <= 0 ? "0" : nice(column.max())) + "]",
                    "a number with many values; bounds rounded outward from the data, check them");
        }
        if (column.type().equals("boolean")) {
            return new ColumnProposal(column.name(), "dimension", "", "", "a yes/no value");
        }
        if (column.distinct() <= DIMENSION_VALUES) {
            boolean sensitive = hints(name, "diagnos", "disease", "icd", "illness", "诊断", "疾病", "病", "religion", "宗教");
            return new ColumnProposal(column.name(), sensitive ? "sensitive_attribute" : "dimension", "", "",
                    "text with at most " + DIMENSION_VALUES + " distinct values" + (sensitive ? "; the name reads like health data" : ""));
        }
        return identifier(column, "redact", "text with many distinct values that matches no known format: treated as identifying");
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
            if (key && person && !columns.get(i).type().equals("double")) {
                unit = i;
                proposals.set(i, new ColumnProposal(columns.get(i).name(), "privacy_unit", "pseudonym", "",
                        "the name reads like the key of a person"));
            }
        }
        for (int i = 0; i < proposals.size(); i++) {
            if (proposals.get(i).role().equals("privacy_unit") && i != unit) {
                if (unit < 0) {
                    unit = i;
                } else {
                    proposals.set(i, identifier(columns.get(i), "redact", "distinct per row, but another column is the privacy unit"));
                }
            }
        }
        if (unit < 0) {
            for (int i = 0; i < columns.size(); i++) {
                if (unique(columns.get(i)) && proposals.get(i).role().equals("direct_identifier")
                        && !columns.get(i).type().equals("double")) {
                    proposals.set(i, new ColumnProposal(columns.get(i).name(), "privacy_unit", "pseudonym", "",
                            "every value is distinct: the only candidate for the privacy unit; check it"));
                    return proposals;
                }
            }
            // a policy needs one: the column with the most distinct values, for the admin to confirm or change
            int most = 0;
            for (int i = 1; i < columns.size(); i++) {
                most = columns.get(i).distinct() > columns.get(most).distinct() ? i : most;
            }
            proposals.set(most, new ColumnProposal(columns.get(most).name(), "privacy_unit", "pseudonym", "",
                    "no column reads like a person key: the one with the most distinct values; check it"));
        }
        return proposals;
    }

    private static ColumnProposal identifier(ColumnProfile column, String mask, String evidence) {
        return new ColumnProposal(column.name(), "direct_identifier", mask, "", evidence);
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
