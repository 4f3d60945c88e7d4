package org.datasandbox.api.flight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.datasandbox.core.catalog.CatalogEntry;

/**
 * Adds the sandbox's metadata to a result's Arrow schema. A result column named like catalog columns the
 * caller may see, all of one role and classification, carries that role and classification; any other
 * (an aggregate, an alias, a name with several meanings) is {@code derived}. Every Int64 column is marked
 * {@code bigint}: its values (pseudonyms among them) use all 64 bits, more than a JavaScript Number holds.
 * Metadata already on the schema (a DP release's description) is kept.
 */
final class ColumnAnnotations {
    static final String ROLE = "datasandbox.role";
    static final String CLASSIFICATION = "datasandbox.classification";
    static final String INT64 = "datasandbox.int64";
    static final String DERIVED = "derived";
    static final String BIGINT = "bigint";
    static final String INT64_NOTE = "Int64 columns use all 64 bits (pseudonyms among them): JavaScript readers "
            + "must read them as BigInt, never as Number, which keeps only 53";

    private ColumnAnnotations() {
    }

    static Schema annotate(Schema schema, List<CatalogEntry> catalog, Map<String, String> receipt) {
        Map<String, Set<List<String>>> meanings = new HashMap<>();
        for (CatalogEntry table : catalog) {
            for (CatalogEntry.Column column : table.columns()) {
                meanings.computeIfAbsent(column.name(), k -> new LinkedHashSet<>())
                        .add(List.of(column.role(), column.classification()));
            }
        }
        List<Field> fields = new ArrayList<>();
        boolean anyInt64 = false;
        for (Field field : schema.getFields()) {
            Map<String, String> metadata = new LinkedHashMap<>(field.getMetadata());
            Set<List<String>> meaning = meanings.getOrDefault(field.getName(), Set.of());
            List<String> only = meaning.size() == 1 ? meaning.iterator().next() : null;
            metadata.put(ROLE, only == null || only.get(0).isEmpty() ? DERIVED : only.get(0));
            metadata.put(CLASSIFICATION, only == null ? "" : only.get(1));
            if (field.getType() instanceof ArrowType.Int ints && ints.getBitWidth() == 64) {
                metadata.put(INT64, BIGINT);
                anyInt64 = true;
            }
            FieldType type = new FieldType(field.isNullable(), field.getType(), field.getDictionary(), metadata);
            fields.add(new Field(field.getName(), type, field.getChildren()));
        }
        Map<String, String> schemaMetadata = new LinkedHashMap<>(schema.getCustomMetadata());
        schemaMetadata.putAll(receipt);
        if (anyInt64) {
            schemaMetadata.put(INT64, INT64_NOTE);
        }
        return new Schema(fields, schemaMetadata);
    }
}
