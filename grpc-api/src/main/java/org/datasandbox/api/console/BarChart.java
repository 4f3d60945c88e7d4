package org.datasandbox.api.console;

import java.util.List;
import java.util.Locale;

/**
 * A small horizontal bar chart as inline SVG (no script, no inline style: the CSP allows neither). Flagged bars get
 * the class {@code flagged}; every label is escaped.
 */
final class BarChart {
    /** One bar: its label, its value and whether the disclosure report flags its cell. */
    record Bar(String label, double value, boolean flagged) {
    }

    static final int MAX_BARS = 40;
    private static final int WIDTH = 640;
    private static final int LABEL_WIDTH = 220;
    private static final int BAR_HEIGHT = 18;

    private BarChart() {
    }

    static String svg(String title, List<Bar> bars) {
        List<Bar> shown = bars.stream().limit(MAX_BARS).toList();
        double max = shown.stream().mapToDouble(b -> Math.abs(b.value())).max().orElse(0);
        int height = shown.size() * (BAR_HEIGHT + 4) + 28;
        StringBuilder out = new StringBuilder("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\"><title>").append(Html.text(title)).append("</title>")
                .append("<text class=\"chart-title\" x=\"8\" y=\"16\">").append(Html.text(title)).append("</text>");
        int y = 26;
        for (Bar bar : shown) {
            double length = max == 0 ? 0 : (WIDTH - LABEL_WIDTH - 70) * Math.abs(bar.value()) / max;
            out.append("<text class=\"label\" x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 13)
                    .append("\" text-anchor=\"end\">").append(Html.text(shorten(bar.label()))).append("</text>")
                    .append("<rect class=\"bar").append(bar.flagged() ? " flagged" : "").append("\" x=\"").append(LABEL_WIDTH)
                    .append("\" y=\"").append(y).append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", length))
                    .append("\" height=\"").append(BAR_HEIGHT).append("\"/>")
                    .append("<text class=\"value\" x=\"").append(String.format(Locale.ROOT, "%.1f", LABEL_WIDTH + length + 4))
                    .append("\" y=\"").append(y + 13).append("\">").append(Html.text(format(bar.value()))).append("</text>");
            y += BAR_HEIGHT + 4;
        }
        return out.append("</svg>").toString();
    }

    private static String shorten(String label) {
        return label.length() <= 32 ? label : label.substring(0, 31) + "…";
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
