package org.datasandbox.api.console;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.ledger.LedgerVerification;

/** The ledger's verification status, and the auditor's action to verify it now. */
final class LedgerPage {
    private final Sandbox sandbox;
    private final AtomicReference<LedgerVerification> last = new AtomicReference<>();

    LedgerPage(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    ConsoleResponse render(ConsoleRequest request) throws java.io.IOException {
        List<LedgerEntry> entries = sandbox.ledger().entries();
        StringBuilder body = new StringBuilder("<dl class=\"facts\"><dt>entries</dt><dd>").append(entries.size())
                .append("</dd>");
        LedgerEntry head = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        if (head != null) {
            body.append("<dt>head</dt><dd><code class=\"hash\">").append(Html.text(head.hash())).append("</code></dd>");
        }
        body.append("</dl><h2>Verification</h2>");
        LedgerVerification verification = last.get();
        if (verification != null) {
            body.append("<p class=\"verification ").append(verification.valid() ? "ok\">valid" : "bad\">INVALID")
                    .append("</p><dl class=\"facts\"><dt>entries verified</dt><dd>").append(verification.entries())
                    .append("</dd><dt>head hash</dt><dd><code class=\"hash\">").append(Html.text(verification.headHash()))
                    .append("</code></dd><dt>key fingerprint</dt><dd><code class=\"hash\">")
                    .append(Html.text(verification.keyFingerprint())).append("</code></dd><dt>profile</dt><dd>")
                    .append(Html.text(verification.profile())).append("</dd>");
            if (verification.problem() != null) {
                body.append("<dt>problem</dt><dd>").append(Html.text(verification.problem())).append("</dd>");
            }
            body.append("</dl>");
        } else {
            List<LedgerEntry> earlier = entries.stream().filter(e -> e.action().equals("ledger.verified")).toList();
            body.append(earlier.isEmpty() ? "<p class=\"muted\">not verified since the ledger began</p>"
                    : "<p>last verified " + Html.text(earlier.get(earlier.size() - 1).time()) + " by "
                    + Html.text(earlier.get(earlier.size() - 1).actor()) + ": valid="
                    + Html.text(earlier.get(earlier.size() - 1).details().getOrDefault("valid", "")) + "</p>");
        }
        body.append(Html.form("/ledger/verify", request.csrfToken(), "", "Verify the ledger now"));
        return request.page("Evidence ledger", body.toString());
    }

    ConsoleResponse verify(ConsoleRequest request) {
        last.set(sandbox.verifyLedger(request.caller()));
        return ConsoleResponse.redirect("/ledger");
    }
}
