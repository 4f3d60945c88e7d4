package org.datasandbox.core.dprelease;

import java.util.List;
import java.util.Objects;

/**
 * A dry run's answer: what running an allowed query would spend, known before it runs. It depends on the
 * scenario's parameters, the guard's plan, the cache and the budget store only, never on the data.
 *
 * @param mode "dp" or "threshold"
 * @param epsilon what it would spend (0 in threshold mode or when cached)
 * @param cached the same query was released before: it would return that answer for free
 * @param affordable every account it would be charged to can pay it now
 * @param accounts the tables it would be charged to
 */
public record CostEstimate(String scenario, String mode, double epsilon, double delta, boolean cached,
                           boolean affordable, List<String> accounts, String rewrittenSql) {
    public CostEstimate {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(mode, "mode");
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(rewrittenSql, "rewrittenSql");
    }
}
