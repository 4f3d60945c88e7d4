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
            result = input == Granularity.ROWS ? Granularity.GROUPS : input;
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
