package org.datasandbox.api.demo;

import java.util.ArrayList;
import java.util.List;
import org.datasandbox.core.release.ArrowResults;

/** Renders a small result as an aligned text table; CJK characters count as two columns. */
public final class TextTable {
    private TextTable() {
    }

    public static String render(ArrowResults.Table table, int maxRows, String indent) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(table.columns());
        table.rows().stream().limit(maxRows).forEach(row -> cells.add(row.stream().map(TextTable::format).toList()));
        int[] widths = new int[table.columns().size()];
        for (List<String> row : cells) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            out.append(indent);
            for (int c = 0; c < widths.length; c++) {
                String cell = cells.get(r).get(c);
                out.append(cell).append(" ".repeat(widths[c] - width(cell) + 2));
            }
            out.append('\n');
            if (r == 0) {
                out.append(indent);
                for (int width : widths) {
                    out.append("-".repeat(width)).append("  ");
                }
                out.append('\n');
            }
        }
        if (table.rows().size() > maxRows) {
            out.append(indent).append("... ").append(table.rows().size() - maxRows).append(" more rows\n");
        }
        return out.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format("%.0f", d) : String.format("%.2f", d);
        }
        return value.toString();
    }

    private static int width(String s) {
        return s.codePoints().map(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN
                || (cp >= 0xFF00 && cp <= 0xFFEF) ? 2 : 1).sum();
    }
}
