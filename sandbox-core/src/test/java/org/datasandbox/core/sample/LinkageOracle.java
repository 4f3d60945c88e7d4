package org.datasandbox.core.sample;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attacker of the threat model, written without looking at how samples are made: they know every
 * original person's values on some columns and link them to a masked sample's rows. A sample value
 * matches an original value when it is empty, equal, a {@code *}-masked string whose visible prefix and
 * suffix the original has, or the grid cell (observed in the sample: the smallest gap between its values)
 * that holds the original number or date; a column with one value in the whole sample shows no grid, so
 * its value matches every original at least as large. A person is singled out when fewer than k sample rows match
 * them (but some do), and their sensitive value disclosed when the matching rows hold fewer than l values.
 */
public final class LinkageOracle {
    private final List<Map<String, Object>> sample;
    private final List<String> known;
    private final Map<String, Grid> grids = new HashMap<>();

    /** How a column's sample values cover originals. */
    private record Grid(String unit, double gap) {
    }

    /** What linking every original to the sample gives. */
    public record Linkage(int linkedPeople, int singledOut, int sensitiveDisclosed, int unlinkableSampleRows) {
    }

    public LinkageOracle(List<Map<String, Object>> sample, List<String> known) {
        this.sample = sample;
        this.known = known;
        for (String column : known) {
            grids.put(column, grid(column));
        }
    }

    private Grid grid(String column) {
        TreeSet<Double> values = new TreeSet<>();
        boolean allJanuaryFirst = true;
        boolean allFirstOfMonth = true;
        boolean dates = false;
        for (Map<String, Object> row : sample) {
            Object v = row.get(column);
            if (v instanceof LocalDate d) {
                dates = true;
                allJanuaryFirst &= d.getDayOfYear() == 1;
                allFirstOfMonth &= d.getDayOfMonth() == 1;
            }
        }
        String unit = !dates ? "number" : allJanuaryFirst ? "year" : allFirstOfMonth ? "month" : "day";
        for (Map<String, Object> row : sample) {
            Object v = row.get(column);
            if (v instanceof Number || v instanceof LocalDate) {
                values.add(position(v, unit));
            }
        }
        double gap = Double.MAX_VALUE;
        Double previous = null;
        for (double v : values) {
            if (previous != null) {
                gap = Math.min(gap, v - previous);
            }
            previous = v;
        }
        // one value alone shows no grid: it says only that the original is at least that value
        return new Grid(unit, values.size() > 1 ? gap : Double.POSITIVE_INFINITY);
    }

    private static double position(Object value, String unit) {
        if (value instanceof LocalDate d) {
            return switch (unit) {
                case "year" -> d.getYear();
                case "month" -> d.getYear() * 12 + d.getMonthValue() - 1;
                default -> d.toEpochDay();
            };
        }
        return ((Number) value).doubleValue();
    }

    /** Whether a sample value can stem from the original value. */
    boolean matches(String column, Object sampled, Object original) {
        if (sampled == null) {
            return true;
        }
        if (original == null) {
            return false;
        }
        if (sampled instanceof String s) {
            int first = s.indexOf('*');
            if (first < 0) {
                return s.equals(original.toString());
            }
            String o = original.toString();
            String prefix = s.substring(0, first);
            String suffix = s.substring(s.lastIndexOf('*') + 1);
            return o.length() >= prefix.length() + suffix.length() && o.startsWith(prefix) && o.endsWith(suffix);
        }
        if (sampled instanceof Number || sampled instanceof LocalDate) {
            Grid grid = grids.get(column);
            double v = position(sampled, grid.unit());
            double o = position(original, grid.unit());
            return v <= o + 1e-9 && o < v + grid.gap() - 1e-9;
        }
        return Objects.equals(sampled, original);
    }

    /** Links every original to the sample on the known columns. */
    public Linkage link(List<Map<String, Object>> originals, String sensitive, int k, int l) {
        int linked = 0;
        int singled = 0;
        int disclosed = 0;
        boolean[] reached = new boolean[sample.size()];
        for (Map<String, Object> original : originals) {
            int matching = 0;
            Set<Object> values = new HashSet<>();
            for (int r = 0; r < sample.size(); r++) {
                if (matchesAll(sample.get(r), original)) {
                    matching++;
                    reached[r] = true;
                    values.add(sample.get(r).get(sensitive));
                }
            }
            if (matching > 0) {
                linked++;
                singled += matching < k ? 1 : 0;
                disclosed += values.size() < l ? 1 : 0;
            }
        }
        int unreached = 0;
        for (boolean r : reached) {
            unreached += r ? 0 : 1;
        }
        return new Linkage(linked, singled, disclosed, unreached);
    }

    /** Sample rows that match fewer than {@code k} originals: rows whose class in the population is small. */
    public int rowsInPopulationClassesBelow(List<Map<String, Object>> originals, int k) {
        int small = 0;
        for (Map<String, Object> row : sample) {
            int matching = 0;
            for (Map<String, Object> original : originals) {
                if (matchesAll(row, original) && ++matching >= k) {
                    break;
                }
            }
            small += matching < k ? 1 : 0;
        }
        return small;
    }

    private boolean matchesAll(Map<String, Object> row, Map<String, Object> original) {
        for (String column : known) {
            if (!matches(column, row.get(column), original.get(column))) {
                return false;
            }
        }
        return true;
    }

    /** Sample rows whose value of {@code column} occurs exactly once among the originals, next to a non-empty {@code next}. */
    public static int rowsWithPopulationUniqueValue(List<Map<String, Object>> sample, List<Map<String, Object>> originals,
                                                    String column, String next) {
        Map<Object, Integer> counts = new HashMap<>();
        for (Map<String, Object> original : originals) {
            counts.merge(original.get(column), 1, Integer::sum);
        }
        int unique = 0;
        for (Map<String, Object> row : sample) {
            Object v = row.get(column);
            unique += v != null && row.get(next) != null && counts.getOrDefault(v, 0) == 1 ? 1 : 0;
        }
        return unique;
    }

    /** The Hubei residents as typed records, as the attacker knows them. */
    public static List<Map<String, Object>> residents(List<String[]> rows, String[] header) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String[] row : rows) {
            Map<String, Object> record = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                String v = row[c];
                Object typed = v == null || v.isEmpty() ? null : switch (header[c]) {
                    case "birth_date" -> LocalDate.parse(v);
                    case "income" -> Double.parseDouble(v);
                    case "person_id" -> Long.parseLong(v);
                    default -> v;
                };
                record.put(header[c], typed);
            }
            records.add(record);
        }
        return records;
    }
}
