package org.datasandbox.api.console;

import java.util.List;
import org.datasandbox.core.identity.Identity;

/** HTML text: every value goes through {@link #text}, and every page through {@link #page}. */
final class Html {
    private Html() {
    }

    /** Escapes text for an element's content or a quoted attribute value. */
    static String text(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A table: the header cells and rows of cells already rendered as HTML. */
    static String table(String cssClass, List<String> headers, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("<table class=\"" + text(cssClass) + "\"><thead><tr>");
        headers.forEach(h -> out.append("<th>").append(text(h)).append("</th>"));
        out.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.append("<tr>");
            row.forEach(cell -> out.append("<td>").append(cell).append("</td>"));
            out.append("</tr>");
        }
        if (rows.isEmpty()) {
            out.append("<tr><td colspan=\"").append(headers.size()).append("\" class=\"empty\">none</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    static String link(String href, Object label) {
        return "<a href=\"" + text(href) + "\">" + text(label) + "</a>";
    }

    /** A POST form with the caller's CSRF token and one submit button; {@code fields} is rendered HTML. */
    static String form(String action, String csrfToken, String fields, String button) {
        return "<form method=\"post\" action=\"" + text(action) + "\"><input type=\"hidden\" name=\"csrf\" value=\""
                + text(csrfToken) + "\">" + fields + "<button type=\"submit\">" + text(button) + "</button></form>";
    }

    /** A whole page: title, navigation for the caller's role, and the body (rendered HTML). */
    static String page(String title, Identity caller, List<ConsoleRoutes.NavLink> nav, String body) {
        StringBuilder links = new StringBuilder();
        nav.forEach(n -> links.append("<li>").append(link(n.href(), n.label())).append("</li>"));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + text(title) + " · Data Sandbox</title>"
                + "<link rel=\"stylesheet\" href=\"/console.css\"></head><body>"
                + "<header><span class=\"brand\">Data Sandbox review console</span><nav><ul>" + links + "</ul></nav>"
                + "<span class=\"caller\">" + text(caller.name()) + " (" + text(caller.role().label()) + ")</span>"
                + "</header><main><h1>" + text(title) + "</h1>" + body + "</main></body></html>\n";
    }

    /** A page for a refused or failed request: a fixed message and nothing else. */
    static String refusal(int status, String message) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status
                + " · Data Sandbox</title><link rel=\"stylesheet\" href=\"/console.css\"></head><body><main>"
                + "<h1>" + status + "</h1><p class=\"refusal\">" + text(message) + "</p></main></body></html>\n";
    }
}
