package org.datasandbox.masking.detect;

import static org.datasandbox.masking.detect.ColumnProfiler.hints;
import static org.datasandbox.masking.detect.ColumnProfiler.lower;
import static org.datasandbox.masking.detect.ColumnProfiler.percent;
import static org.datasandbox.masking.detect.ColumnProfiler.sampled;
import static org.datasandbox.masking.detect.ColumnProfiler.share;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the special categories of personal data (health, religion, ethnicity; income when it is
 * a category) that a release must not tie to a person: from the column name, from value formats (ICD-10
 * codes, the names of ICD-10 chapters) and, for flags such as status or death, from the table being a
 * health table. The reason it gives names the kind of data, never a value.
 */
final class SensitiveAttributes {
    private static final double SHARE = 0.9;
    private static final int CATEGORIES = 20;
    /**
     * An ICD-10 code: a letter (U is reserved), two digits, then a dot and a subcategory or one more
     * character without the dot (longer undotted codes read as patient or order numbers).
     */
    private static final Pattern ICD10 = Pattern.compile("[A-TV-Z][0-9][0-9AB](\\.[0-9A-Z]{1,4}|[0-9A-Z])?");
    /** Words of the ICD-10 chapter titles, as registries abbreviate them. */
    private static final Pattern ICD10_CHAPTER = Pattern.compile("(?i).*\\b(circulatory|neoplasms?|respiratory|digestive|"
            + "nervous|mental|infectious|parasitic|endocrine|metabolic|genitourinary|musculoskeletal|congenital|"
            + "ill[ -]defined|external causes|injury|poisoning|perinatal|pregnancy|skin|blood|ear|eye)\\b.*");
    private static final String[] ALWAYS = {"diagnos", "disease", "icd", "illness", "disorder", "condition", "symptom",
        "hiv", "pregnan", "disabilit", "religion", "religious", "faith", "ethnic", "ethnicity", "race", "racial", "colour",
        "color", "skin", "tribe", "caste", "sexual", "orientation", "politic", "诊断", "疾病", "病", "宗教", "民族", "种族"};
    private static final String[] HEALTH_FLAGS = {"status", "death", "dead", "died", "deceased", "outcome", "survival",
        "survived", "vital", "recurrence", "relapse", "cause", "chapter", "event", "censor", "死亡", "结局"};
    private static final String[] INCOME = {"salary", "income", "wage", "wages", "earnings", "pay", "收入", "工资"};

    private SensitiveAttributes() {
    }

    /** Why the column is a sensitive attribute, or empty when nothing says it is. */
    static Optional<String> reason(ColumnProfile column, boolean healthTable) {
        String name = lower(column);
        if (hints(name, ALWAYS)) {
            return Optional.of("the name reads like health, belief or origin data");
        }
        double codes = share(column, v -> ICD10.matcher(v.strip().toUpperCase(Locale.ROOT)).matches());
        if (column.type().equals("string") && codes >= SHARE) {
            return Optional.of(percent(codes) + " of " + sampled(column) + " read like ICD-10 diagnosis codes; check it");
        }
        double chapters = share(column, v -> ICD10_CHAPTER.matcher(v).matches());
        if (column.type().equals("string") && chapters >= SHARE) {
            return Optional.of(percent(chapters) + " of " + sampled(column) + " are ICD-10 chapter names (causes or diagnoses)");
        }
        if (healthTable && hints(name, HEALTH_FLAGS)) {
            return Optional.of("a status or outcome on a health table");
        }
        boolean categorical = column.type().equals("string") || column.distinct() <= CATEGORIES;
        if (categorical && hints(name, INCOME)) {
            return Optional.of("income in categories");
        }
        return Optional.empty();
    }
}
