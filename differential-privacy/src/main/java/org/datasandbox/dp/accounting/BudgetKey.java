package org.datasandbox.dp.accounting;

import java.util.regex.Pattern;

/**
 * Whose budget: one lifetime budget per scenario and table, shared by every DP query and every
 * synthetic-sample fit on that table. Names are identifiers (letters, digits, {@code _ - .}), so that they
 * can name files and never carry data.
 */
public record BudgetKey(String scenario, String table) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    public BudgetKey {
        check(scenario, "scenario");
        check(table, "table");
    }

    private static void check(String value, String name) {
        if (value == null || !NAME.matcher(value).matches() || value.startsWith(".")) {
            throw new IllegalArgumentException(name + " must be an identifier of letters, digits, '_', '-' or '.'");
        }
    }

    @Override
    public String toString() {
        return scenario + "/" + table;
    }
}
