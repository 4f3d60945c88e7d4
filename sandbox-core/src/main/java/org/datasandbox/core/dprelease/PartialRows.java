package org.datasandbox.core.dprelease;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;

/** Reads the rows of a DP query's SQL into {@link GroupPartials}, at most a bounded number of groups. */
final class PartialRows {
    private PartialRows() {
    }

    /**
     * The query's groups, collected.
     *
     * @throws IllegalArgumentException when the SQL lacks a column the query names, or returns more than
     *                                  {@code maxGroups} groups
     */
    static List<GroupPartials> collect(Dataset<Row> frame, DpQuery query, int maxGroups) {
        List<String> columns = List.of(frame.columns());
        int[] keys = indexes(columns, query.groupKeys());
        List<int[]> partials = query.aggregates().stream().map(a -> indexes(columns, a.partialColumns())).toList();
        int units = indexes(columns, List.of(query.unitCountColumn()))[0];
        List<Row> rows = frame.limit(maxGroups + 1).collectAsList();
        if (rows.size() > maxGroups) {
            throw new IllegalArgumentException("more than " + maxGroups + " groups");
        }
        List<GroupPartials> groups = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Object> keyValues = new ArrayList<>();
            for (int k : keys) {
                keyValues.add(row.isNullAt(k) ? null : row.get(k));
            }
            List<List<Object>> values = new ArrayList<>();
            for (int a = 0; a < partials.size(); a++) {
                List<Object> cells = new ArrayList<>();
                for (int c : partials.get(a)) {
                    cells.add(cell(row, c, query.aggregates().get(a)));
                }
                values.add(cells);
            }
            long unitCount = row.isNullAt(units) ? 0 : ((Number) row.get(units)).longValue();
            groups.add(new GroupPartials(keyValues, values, unitCount));
        }
        return groups;
    }

    private static Object cell(Row row, int column, DpAggregate aggregate) {
        if (row.isNullAt(column)) {
            return aggregate.kind() == DpAggregate.Kind.QUANTILE ? List.of() : null;
        }
        return aggregate.kind() == DpAggregate.Kind.QUANTILE ? row.getList(column) : row.get(column);
    }

    private static int[] indexes(List<String> columns, List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            out[i] = columns.indexOf(names.get(i));
            if (out[i] < 0) {
                throw new IllegalArgumentException("the DP query's SQL has no column " + names.get(i));
            }
        }
        return out;
    }
}
