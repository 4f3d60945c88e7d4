package org.datasandbox.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expected answers computed straight from arrests.csv, independently of Spark and the guard. The file
 * has no commas inside quoted fields, so a plain split is a faithful reader here.
 */
final class ArrestsOracle {
    final List<String> header;
    final List<String[]> rows = new ArrayList<>();

    ArrestsOracle(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        header = List.of(unquote(lines.get(0).split(",")));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(unquote(line.split(",", -1)));
            }
        }
    }

    /** Distinct ids per group of the given columns, keyed by the joined group values. */
    Map<List<String>, Set<String>> peoplePerGroup(String... columns) {
        Map<List<String>, Set<String>> groups = new HashMap<>();
        int id = header.indexOf("id");
        for (String[] row : rows) {
            List<String> key = new ArrayList<>();
            for (String column : columns) {
                key.add(row[header.indexOf(column)]);
            }
            groups.computeIfAbsent(key, k -> new HashSet<>()).add(row[id]);
        }
        return groups;
    }

    double average(String column, String filterColumn, String filterValue) {
        int c = header.indexOf(column);
        int f = header.indexOf(filterColumn);
        return rows.stream().filter(r -> r[f].equals(filterValue)).mapToDouble(r -> Double.parseDouble(r[c])).average().orElseThrow();
    }

    private static String[] unquote(String[] fields) {
        String[] out = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            out[i] = f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
        }
        return out;
    }
}
