package org.datasandbox.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parse stage: YAML text to the file model ({@link PolicyFile}) with the location of every part,
 * and back for drafts. Jackson's errors are told in the words of a policy author: which key, what it
 * should hold, where; never a Java class name.
 */
final class PolicyYaml {
    static final ObjectMapper MAPPER = JsonMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** A document bound to its file model, with where each part is written. */
    record Document<T>(T file, YamlLocations where) {
    }

    private PolicyYaml() {
    }

    /** The document's {@code kind}, or empty text when it has none (a YAML file that is not a policy). */
    static String kind(String text) throws PolicyException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
        if (tree == null || !tree.isObject()) {
            throw new PolicyException(1, 1, "a policy is a YAML mapping of keys to values, starting with kind: "
                    + PolicyParser.TABLE_KIND + " or kind: " + PolicyParser.SCENARIO_KIND);
        }
        JsonNode kind = tree.get("kind");
        return kind != null && kind.isTextual() ? kind.asText() : "";
    }

    static <T> Document<T> read(String text, Class<T> type) throws PolicyException {
        try {
            return new Document<>(MAPPER.readValue(text, type), YamlLocations.of(MAPPER.getFactory(), text));
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
    }

    static String write(Object file) {
        try {
            return MAPPER.writeValueAsString(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy model could not be written as YAML", e);
        }
    }

    /** Jackson's error, in a policy author's words, at Jackson's location. */
    static PolicyException translate(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : Math.max(0, location.getLineNr());
        int column = location == null ? 0 : Math.max(0, location.getColumnNr());
        return new PolicyException(line, column, reason(e));
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'" + in(unknown) + "; the keys here are: "
                    + names(unknown.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null && format.getTargetType().isEnum()) {
            return key(format) + " cannot be '" + format.getValue() + "'; write one of: "
                    + Arrays.stream(format.getTargetType().getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (e instanceof MismatchedInputException mismatch) {
            return key(mismatch) + " must be " + shape(mismatch.getTargetType());
        }
        if (e instanceof JsonMappingException mapping) {
            return key(mapping) + " cannot be read: check its value";
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        if (original.toLowerCase(Locale.ROOT).contains("duplicate")) {
            return "a key is written twice in the same mapping";
        }
        return "the YAML is not well-formed here (check indentation, colons and brackets)"
                + (original.isBlank() || original.contains("com.") || original.contains("org.") ? "" : ": " + original.strip());
    }

    /** The key an error is about, as written in the file ({@code columns[3].bounds}). */
    private static String key(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex() + 1).append(']');
            }
        }
        return path.isEmpty() ? "the document" : path.toString();
    }

    private static String in(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.size() < 2) {
            return "";
        }
        JsonMappingException.Reference parent = path.get(path.size() - 2);
        return parent.getIndex() >= 0 && path.size() >= 3 ? " in entry " + (parent.getIndex() + 1) + " of "
                + path.get(path.size() - 3).getFieldName() : parent.getFieldName() == null ? "" : " under " + parent.getFieldName();
    }

    private static String names(Collection<Object> known) {
        return known == null ? "" : known.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    private static String shape(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list, such as [a, b]";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys to values";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of: " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return "text";
    }
}
