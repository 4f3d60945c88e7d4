package org.datasandbox.guard.analyze;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexVisitorImpl;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.validate.ScenarioSchema;

/** Granularity and lineage facts about one plan, computed lazily and cached per node. */
public final class PlanAnalysis {
    private final RelNode root;
    private final ScenarioSchema schema;
    private final RelMetadataQuery metadata;
    private final Map<RelNode, Granularity> granularity = new IdentityHashMap<>();
    private final Map<RelNode, Optional<Integer>> perUnitKeys = new IdentityHashMap<>();

    public PlanAnalysis(RelNode root, ScenarioSchema schema) {
        this.root = root;
        this.schema = schema;
        this.metadata = root.getCluster().getMetadataQuery();
    }

    public RelNode root() {
        return root;
    }

    public Granularity granularity(RelNode node) {
        Granularity known = granularity.get(node);
        if (known != null) {
            return known;
        }
        Granularity result;
        if (node instanceof TableScan) {
            result = Granularity.ROWS;
        } else if (node instanceof Values) {
            result = Granularity.CONSTANT;
        } else if (node instanceof Aggregate aggregate) {
            Granularity input = granularity(aggregate.getInput());
            result = input != Granularity.ROWS ? input : perUnitKey(aggregate).isPresent() ? Granularity.ROWS : Granularity.GROUPS;
        } else {
            result = Granularity.CONSTANT;
            for (RelNode input : node.getInputs()) {
                result = Granularity.combine(result, granularity(input));
            }
        }
        granularity.put(node, result);
        return result;
    }

    /**
     * For an aggregate over rows grouped by the privacy unit of every table it reads (visits per person), the
     * output field of that unit: its rows are people, not released groups, and they are judged as rows
     * above (the unit is carried up, and the aggregate above is thresholded). Empty for any other aggregate.
     */
    public Optional<Integer> perUnitKey(Aggregate aggregate) {
        Optional<Integer> known = perUnitKeys.get(aggregate);
        if (known == null) { // not computeIfAbsent: finding it may analyze nested aggregates first
            known = findPerUnitKey(aggregate);
            perUnitKeys.put(aggregate, known);
        }
        return known;
    }

    private Optional<Integer> findPerUnitKey(Aggregate aggregate) {
        if (aggregate.getGroupSet().isEmpty() || aggregate.getGroupType() != Aggregate.Group.SIMPLE
                || granularity(aggregate.getInput()) != Granularity.ROWS || !plainPerUnit(aggregate)) {
            return Optional.empty();
        }
        Set<String> tables = new TreeSet<>();
        collectScans(aggregate.getInput(), tables);
        Integer unitKey = null;
        Set<String> covered = new TreeSet<>();
        for (int i = 0; i < aggregate.getGroupCount(); i++) {
            int key = aggregate.getGroupSet().nth(i);
            Optional<Set<ColumnRef>> origins = sources(aggregate.getInput(), key);
            if (origins.isEmpty()) {
                continue;
            }
            for (ColumnRef ref : origins.get()) {
                if (schema.table(ref.table()).map(t -> t.privacyUnit().name().equalsIgnoreCase(ref.column())).orElse(false)) {
                    covered.add(ref.table());
                    unitKey = unitKey == null ? i : unitKey;
                }
            }
        }
        return unitKey != null && !tables.isEmpty() && covered.containsAll(tables) ? Optional.of(unitKey) : Optional.empty();
    }

    /**
     * Whether an aggregate's per-person values are plain: rows of one table (projections and filters only, no
     * join or union whose padding or zero rows would be summed into a person's value), and only unconditional
     * COUNT(*), SUM and AVG (no FILTER, no CASE below, no COUNT(x) whose NULLs make a hidden cell). Anything
     * else stays an aggregate of groups, and grouping it by the unit is refused.
     */
    private static boolean plainPerUnit(Aggregate aggregate) {
        for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
            org.apache.calcite.sql.SqlKind kind = call.getAggregation().getKind();
            boolean plain = kind == org.apache.calcite.sql.SqlKind.COUNT && call.getArgList().isEmpty()
                    || (kind == org.apache.calcite.sql.SqlKind.SUM || kind == org.apache.calcite.sql.SqlKind.SUM0
                    || kind == org.apache.calcite.sql.SqlKind.AVG) && call.getArgList().size() == 1;
            if (!plain || call.isDistinct() || call.filterArg >= 0) {
                return false;
            }
        }
        return singleTablePath(aggregate.getInput());
    }

    private static boolean singleTablePath(RelNode node) {
        if (node instanceof TableScan) {
            return true;
        }
        if (node instanceof org.apache.calcite.rel.core.Project project) {
            for (RexNode expression : project.getProjects()) {
                if (containsCase(expression)) {
                    return false;
                }
            }
            return singleTablePath(project.getInput());
        }
        if (node instanceof org.apache.calcite.rel.core.Filter filter) {
            return singleTablePath(filter.getInput());
        }
        return false;
    }

    private static boolean containsCase(RexNode expression) {
        boolean[] found = {false};
        expression.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(org.apache.calcite.rex.RexCall call) {
                found[0] |= call.getKind() == org.apache.calcite.sql.SqlKind.CASE;
                return super.visitCall(call);
            }
        });
        return found[0];
    }

    private void collectScans(RelNode node, Set<String> into) {
        if (granularity(node) != Granularity.ROWS) {
            return;
        }
        if (node instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            into.add(name.get(name.size() - 1));
        }
        for (RelNode input : node.getInputs()) {
            collectScans(input, into);
        }
    }

    /**
     * The base columns a field of a node derives from, or empty when Calcite cannot trace it; callers
     * treat an untraceable field as the most sensitive case.
     */
    public Optional<Set<ColumnRef>> sources(RelNode node, int field) {
        Set<RelColumnOrigin> origins = metadata.getColumnOrigins(node, field);
        if (origins == null) {
            return Optional.empty();
        }
        Set<ColumnRef> refs = new TreeSet<>();
        for (RelColumnOrigin origin : origins) {
            List<String> name = origin.getOriginTable().getQualifiedName();
            String table = name.get(name.size() - 1);
            String column = origin.getOriginTable().getRowType().getFieldNames().get(origin.getOriginColumnOrdinal());
            refs.add(new ColumnRef(table, column));
        }
        return Optional.of(refs);
    }

    /** The policy of a base column. */
    public GuardColumn column(ColumnRef ref) {
        return schema.table(ref.table())
                .flatMap(t -> t.column(ref.column()))
                .orElseThrow(() -> new IllegalStateException("column outside the scenario schema: " + ref));
    }

    /**
     * An expression over a node's fields rewritten over base columns ({@link RexTableInputRef} leaves);
     * several results when the node unions inputs, empty when Calcite cannot trace it.
     */
    public Optional<Set<RexNode>> expand(RelNode node, RexNode expression) {
        Set<RexNode> lineage = metadata.getExpressionLineage(node, expression);
        return lineage == null || lineage.isEmpty() ? Optional.empty() : Optional.of(lineage);
    }

    /** The base column a lineage leaf stands for. */
    public static ColumnRef ref(RexTableInputRef leaf) {
        List<String> name = leaf.getTableRef().getQualifiedName();
        String column = leaf.getTableRef().getTable().getRowType().getFieldNames().get(leaf.getIndex());
        return new ColumnRef(name.get(name.size() - 1), column);
    }

    /** Every base column an expanded expression reads. */
    public static Set<ColumnRef> columnsOf(RexNode expanded) {
        Set<ColumnRef> refs = new LinkedHashSet<>();
        expanded.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitTableInputRef(RexTableInputRef ref) {
                refs.add(ref(ref));
                return null;
            }
        });
        return refs;
    }
}
