package org.datasandbox.api.console;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datasandbox.core.identity.Role;

/**
 * Every page and action of the console with the roles allowed it. Deny by default: a path no route matches is
 * "not found" for everyone, and a route refuses every role it does not list. Path parameters are captured by
 * strict patterns (ids only), so no free text of a request reaches a page, a log line or the ledger.
 */
final class ConsoleRoutes {
    /** Renders one page or performs one action. */
    @FunctionalInterface
    interface Handler {
        ConsoleResponse handle(ConsoleRequest request) throws Exception;
    }

    /**
     * @param name what the ledger records for the route ({@code console.view} or {@code console.action} with it)
     * @param navLabel the label in the navigation bar, or null for a page reached by links
     */
    record Route(String method, Pattern path, Set<Role> roles, String name, String navLabel, Handler handler) {
        Route {
            if (!method.equals("GET") && !method.equals("POST")) {
                throw new IllegalArgumentException("method must be GET or POST. Provided value: " + method);
            }
            roles = Set.copyOf(roles);
        }

        boolean isAction() {
            return method.equals("POST");
        }
    }

    /** A route that matched a request, with the parameters it captured. */
    record Match(Route route, List<String> parameters) {
    }

    record NavLink(String href, String label) {
    }

    /** Job ids as the job manager makes them. */
    static final String JOB_ID = "(job-[0-9a-f]{12})";
    /** Release request ids as the review desk makes them. */
    static final String REQUEST_ID = "(rr-[0-9a-f]{12})";

    private final List<Route> routes = new ArrayList<>();

    ConsoleRoutes add(String method, String path, Set<Role> roles, String name, String navLabel, Handler handler) {
        routes.add(new Route(method, Pattern.compile(path), roles, name, navLabel, handler));
        return this;
    }

    static Set<Role> roles(Role first, Role... rest) {
        return EnumSet.of(first, rest);
    }

    /** The route for a method and path, if any; methods other than GET and POST match none. */
    Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                List<String> parameters = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    parameters.add(m.group(i));
                }
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    /** The navigation of a role: the pages it may open that are listed in the bar. */
    List<NavLink> navigation(Role role) {
        return routes.stream().filter(r -> r.navLabel() != null && r.roles().contains(role))
                .map(r -> new NavLink(r.path().pattern(), r.navLabel())).toList();
    }

    List<Route> all() {
        return List.copyOf(routes);
    }
}
