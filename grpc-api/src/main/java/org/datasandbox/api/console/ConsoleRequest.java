package org.datasandbox.api.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.core.identity.Identity;

/**
 * One authenticated, authorized request as a page sees it.
 *
 * @param pathParameters the parts of the path a route captures (already checked against its pattern)
 * @param form the fields of a POST form (empty for GET); the CSRF token is checked before a page sees it
 * @param csrfToken the caller's token, for the forms a page renders
 * @param nav the pages the caller's role may open
 */
record ConsoleRequest(Identity caller, List<String> pathParameters, Map<String, String> form, String csrfToken,
                      List<ConsoleRoutes.NavLink> nav) {
    ConsoleRequest {
        Objects.requireNonNull(caller, "caller");
        pathParameters = List.copyOf(pathParameters);
        form = Map.copyOf(form);
        Objects.requireNonNull(csrfToken, "csrfToken");
        nav = List.copyOf(nav);
    }

    String parameter(int index) {
        return pathParameters.get(index);
    }

    /** A whole page in the console's layout. */
    ConsoleResponse page(String title, String body) {
        return ConsoleResponse.html(200, Html.page(title, caller, nav, body));
    }
}
