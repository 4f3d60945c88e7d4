package org.datasandbox.sample.sampling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * Which tables are linked: a table whose privacy unit references another table's privacy unit by a declared
 * join (a visit's person) is that table's child, and the two are sampled together (the same people, the parent
 * first). Built from the tables' policies by the caller; decides parents, children, chains and the tables whose
 * people one model describes.
 */
public final class LinkGraph {

    /**
     * A table as linking sees it.
     *
     * @param table the table
     * @param unit its privacy-unit column
     * @param stratifyBy the column whose values are its sample's strata, "" for none
     * @param unitMask the mask of its privacy unit: linked samples join only when both units carry the same one
     * @param references its declared joins
     */
    public record Node(String table, String unit, String stratifyBy, MaskingSpec unitMask, List<Reference> references) {
        public Node {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(stratifyBy, "stratifyBy");
            Objects.requireNonNull(unitMask, "unitMask");
            references = List.copyOf(references);
        }
    }

    /** A declared join: {@code column} of the table references {@code otherTable.otherColumn}. */
    public record Reference(String column, String otherTable, String otherColumn) {
        public Reference {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(otherTable, "otherTable");
            Objects.requireNonNull(otherColumn, "otherColumn");
        }
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    public LinkGraph(Collection<Node> nodes) {
        nodes.forEach(node -> this.nodes.put(node.table(), node));
    }

    private Node node(String table) {
        Node node = nodes.get(table);
        if (node == null) {
            throw new IllegalArgumentException("no linked-table node for the requested table");
        }
        return node;
    }

    /** The table whose privacy units this table's privacy unit references by a declared join, if any. */
    public Optional<String> parent(String table) {
        Node node = node(table);
        for (Reference reference : node.references()) {
            Node other = nodes.get(reference.otherTable());
            if (reference.column().equals(node.unit()) && other != null && other.unit().equals(reference.otherColumn())) {
                return Optional.of(reference.otherTable());
            }
        }
        return Optional.empty();
    }

    /** The tables whose privacy unit references this table's directly. */
    public List<String> children(String table) {
        node(table);
        return nodes.keySet().stream().filter(other -> parent(other).map(table::equals).orElse(false)).toList();
    }

    /** The table and the tables its sample is drawn after (its parent, the parent's, at most {@link LinkedTable#MAX_DEPTH}). */
    public List<String> lineage(String table) {
        List<String> lineage = new ArrayList<>();
        Optional<String> current = Optional.of(table);
        for (int depth = 0; current.isPresent() && depth <= LinkedTable.MAX_DEPTH; depth++) {
            lineage.add(current.get());
            current = depth < LinkedTable.MAX_DEPTH ? parent(current.get()) : Optional.empty();
        }
        return lineage;
    }

    /** The table with the chain of tables its privacy unit references, as the sampler needs it. */
    public LinkedTable chain(String table) {
        return chain(table, 0);
    }

    private LinkedTable chain(String table, int depth) {
        Node node = node(table);
        Optional<String> parent = depth < LinkedTable.MAX_DEPTH ? parent(table) : Optional.empty();
        return new LinkedTable(table, node.unit(), node.stratifyBy(), parent.map(p -> chain(p, depth + 1)));
    }

    /** The table and every table linked to it through privacy-unit joins, either way: whose people one model describes. */
    public Set<String> component(String table) {
        Set<String> linked = new LinkedHashSet<>(List.of(table));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String other : nodes.keySet()) {
                if (!linked.contains(other) && parent(other).map(linked::contains).orElse(false)) {
                    grew |= linked.add(other);
                }
            }
            for (String member : List.copyOf(linked)) {
                grew |= parent(member).map(linked::add).orElse(false);
            }
        }
        return linked;
    }

    /** The spec of the table's linked sampling: its chain, its children, and whether its person joins the parent's sample. */
    public LinkedTables spec(String table) {
        LinkedTable chain = chain(table);
        boolean pseudonymsMatch = chain.parent().map(p -> node(p.name()).unitMask().equals(node(table).unitMask())).orElse(false);
        return new LinkedTables(chain, children(table), pseudonymsMatch);
    }
}
