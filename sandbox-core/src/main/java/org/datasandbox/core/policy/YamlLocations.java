package org.datasandbox.core.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each part of a YAML document is written, by JSON pointer ({@code /columns/2/mask}), as Jackson's
 * parser reports it: so that a rule checked on the bound model can still name the line and column.
 */
final class YamlLocations {
    /** Line and column, 1-based; 0 when unknown. */
    record Where(int line, int column) {
        static final Where UNKNOWN = new Where(0, 0);
    }

    private final Map<String, Where> byPointer;

    private YamlLocations(Map<String, Where> byPointer) {
        this.byPointer = byPointer;
    }

    /** The locations of a document that Jackson has already read without error. */
    static YamlLocations of(JsonFactory yaml, String text) {
        Map<String, Where> found = new HashMap<>();
        try (JsonParser parser = yaml.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                JsonLocation at = parser.currentTokenLocation();
                found.putIfAbsent(pointer, new Where(at.getLineNr(), at.getColumnNr()));
            }
        } catch (IOException e) {
            // only called on text that parsed: keep what was found
        }
        return new YamlLocations(found);
    }

    /** Where a pointer's value (or, failing that, its nearest enclosing entry) is written. */
    Where at(String pointer) {
        String p = pointer;
        while (true) {
            Where where = byPointer.get(p);
            if (where != null) {
                return where;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return Where.UNKNOWN;
            }
            p = p.substring(0, slash);
        }
    }
}
