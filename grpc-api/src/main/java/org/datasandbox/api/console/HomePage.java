package org.datasandbox.api.console;

/** The start page: who is signed in (by certificate) and the pages their role may open. */
final class HomePage {
    ConsoleResponse render(ConsoleRequest request) {
        StringBuilder body = new StringBuilder("<p>Signed in by client certificate as <b>")
                .append(Html.text(request.caller().name())).append("</b>, role <b>")
                .append(Html.text(request.caller().role().label())).append("</b>. Every page you open and every action "
                        + "you take is recorded in the evidence ledger.</p><ul class=\"pages\">");
        request.nav().stream().filter(n -> !n.href().equals("/"))
                .forEach(n -> body.append("<li>").append(Html.link(n.href(), n.label())).append("</li>"));
        return request.page("Review console", body.append("</ul>").toString());
    }
}
