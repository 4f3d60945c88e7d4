package org.datasandbox.core.application;

import java.util.Objects;

/**
 * One application and its decision: who filed it (real name), what was asked ({@code request}), what was granted
 * ({@code granted}: the request as approved or narrowed, null until then), the admin's reason and name, and the
 * end of the term of the scenario it became (ISO date, empty until approved). Times are ISO instants.
 */
public record ScenarioApplication(String id, String applicant, ApplicationRequest request, ApplicationState state,
                                  ApplicationRequest granted, String reason, String decidedBy, String filed,
                                  String decided, String expires) {
    public ScenarioApplication {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicant, "applicant");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        decidedBy = decidedBy == null ? "" : decidedBy;
        Objects.requireNonNull(filed, "filed");
        decided = decided == null ? "" : decided;
        expires = expires == null ? "" : expires;
        if ((state == ApplicationState.APPROVED || state == ApplicationState.NARROWED) != (granted != null)) {
            throw new IllegalArgumentException("an approved application, and only one, has what it granted");
        }
    }

    /** Whether a person may see it: its applicant and the developers it names. */
    public boolean concerns(String name) {
        return applicant.equals(name) || request.developers().contains(name);
    }

    public ScenarioApplication decide(ApplicationState decision, ApplicationRequest grantedRequest, String why,
                                      String admin, String when, String end) {
        return new ScenarioApplication(id, applicant, request, decision, grantedRequest, why, admin, filed, when, end);
    }
}
