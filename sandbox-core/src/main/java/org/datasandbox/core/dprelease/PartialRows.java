package org.datasandbox.core.dprelease;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;

/** Reads the rows of a DP query's SQL into {@link GroupPartials}: collected up to a bound, or streamed. */
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
        Function<Row, GroupPartials> reader = reader(frame, query);
        List<Row> rows = frame.limit(maxGroups + 1).collectAsList();
        if (rows.size() > maxGroups) {
            throw new IllegalArgumentException("more than " + maxGroups + " groups");
        }
        return rows.stream().map(reader).toList();
    }

    /**
     * The query's groups, one Spark partition at a time: a release that keeps only some of them (the selected
     * ones, or the public ones) holds no more than those, however many groups the data has.
     *
     * @throws IllegalArgumentException when the SQL lacks a column the query names
     */
    static Iterator<GroupPartials> stream(Dataset<Row> frame, DpQuery query) {
        Function<Row, GroupPartials> reader = reader(frame, query);
        Iterator<Row> rows = frame.toLocalIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public GroupPartials next() {
                return reader.apply(rows.next());
            }
        };
    }

    private static Function<Row, GroupPartials> reader(Dataset<Row> frame, DpQuery query) {
        List<String> columns = List.of(frame.columns());
        int[] keys = indexes(columns, query.groupKeys());
        List<int[]> partials = query.aggregates().stream().map(a -> indexes(columns, a.partialColumns())).toList();
        int units = indexes(columns, List.of(query.unitCountColumn()))[0];
        return row -> {
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
            return new GroupPartials(keyValues, values, unitCount);
        };
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
