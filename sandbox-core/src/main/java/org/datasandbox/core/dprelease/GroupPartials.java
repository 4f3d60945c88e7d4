package org.datasandbox.core.dprelease;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One group as the DP query's SQL returns it, before noise: its key values, the bounded partials of each
 * aggregate (in the order of {@code DpQuery.aggregates()}, each the list of that aggregate's partial columns:
 * a number, or for quantiles a list of clamped values) and the distinct units behind it. Never leaves the
 * sandbox.
 */
public record GroupPartials(List<Object> keys, List<List<Object>> partials, long units) {

    public GroupPartials {
        keys = Collections.unmodifiableList(new ArrayList<>(keys)); // keys may be NULL
        partials = List.copyOf(partials.stream().map(p -> Collections.unmodifiableList(new ArrayList<>(p))).toList());
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0. Provided value: " + units);
        }
    }
}
