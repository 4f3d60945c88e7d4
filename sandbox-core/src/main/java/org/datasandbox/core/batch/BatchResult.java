package org.datasandbox.core.batch;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one query of a batch.
 *
 * @param decision ALLOW, REJECT or REVIEW
 * @param rule the rule that refused the query (null when allowed)
 * @param rows exactly what would be released (null unless allowed and run)
 * @param error a coded failure of an allowed query while running (null otherwise)
 * @param dp for a DP release, its description: epsilon and delta spent, and per value its mechanism, epsilon and
 *           interval columns (null otherwise)
 */
public record BatchResult(String id, String decision, String rule, String message, String rewrittenSql,
                          List<Map<String, Object>> rows, String error, Map<String, Object> dp) {

    public BatchResult(String id, String decision, String rule, String message, String rewrittenSql,
                       List<Map<String, Object>> rows, String error) {
        this(id, decision, rule, message, rewrittenSql, rows, error, null);
    }
}
