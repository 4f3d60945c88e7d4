package org.datasandbox.core.catalog;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * Strict CSV import with univocity (the parser Spark itself uses): UTF-8 only, a header of identifiers,
 * every row as wide as the header, empty fields as nulls, types inferred per column unless declared.
 * Every refusal names a line and a column position, never a field's content.
 */
public final class CsvImport {
    static final int MAX_COLUMNS = 512;
    static final int MAX_FIELD_CHARS = 64 * 1024;

    private CsvImport() {
    }

    /**
     * Parses and types an upload.
     *
     * @param declared column types the provider declared; the others are inferred
     * @throws SandboxException with {@link ErrorCode#INVALID_CSV}
     */
    public static ImportedTable parse(byte[] bytes, Map<String, ColumnType> declared) {
        if (bytes.length == 0) {
            throw invalid("the file is empty");
        }
        List<String[]> records = new ArrayList<>();
        CsvParser parser = new CsvParser(settings());
        String[] header;
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            parser.beginParsing(reader);
            header = parser.parseNext();
            if (header == null) {
                throw invalid("the file has no header");
            }
            String[] record;
            while ((record = parser.parseNext()) != null) {
                long line = parser.getContext().currentLine();
                if (record.length != header.length) {
                    throw invalid("line " + line + " has " + record.length + " fields but the header has " + header.length);
                }
                records.add(record);
            }
        } catch (TextParsingException e) {
            if (hasCause(e, CharacterCodingException.class)) {
                throw invalid("the file is not valid UTF-8 (near line " + e.getLineIndex() + ")");
            }
            throw invalid("malformed CSV near line " + (e.getLineIndex() + 1) + ", column " + (e.getColumnIndex() + 1));
        } catch (java.io.IOException | IllegalStateException e) {
            throw invalid("the file could not be read as UTF-8 CSV");
        } finally {
            stopQuietly(parser);
        }
        if (records.isEmpty()) {
            throw invalid("the file has a header but no rows");
        }
        List<String> names = headerNames(header, declared);
        List<DatasetColumn> columns = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            ColumnType type = declared.containsKey(names.get(c)) ? declared.get(names.get(c)) : infer(records, c);
            columns.add(new DatasetColumn(names.get(c), type));
        }
        List<Object[]> rows = new ArrayList<>(records.size());
        for (int r = 0; r < records.size(); r++) {
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String raw = records.get(r)[c];
                try {
                    ColumnType type = columns.get(c).type();
                    // strings stay exactly as sent; numbers and dates may be padded with spaces
                    row[c] = raw == null ? null : convert(type == ColumnType.STRING ? raw : raw.strip(), type);
                } catch (RuntimeException e) {
                    throw invalid("row " + (r + 1) + ", column " + columns.get(c).name() + " is not a valid "
                            + columns.get(c).type().name().toLowerCase(Locale.ROOT));
                }
            }
            rows.add(row);
        }
        return new ImportedTable(columns, rows);
    }

    private static void stopQuietly(CsvParser parser) {
        try {
            parser.stopParsing();
        } catch (RuntimeException e) {
            // the parse already failed and was reported; closing the input cannot add anything
        }
    }

    private static CsvParserSettings settings() {
        CsvParserSettings settings = new CsvParserSettings();
        // Read on the calling thread, so that decoding errors surface here and nowhere else.
        settings.setReadInputOnSeparateThread(false);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxColumns(MAX_COLUMNS);
        settings.setMaxCharsPerColumn(MAX_FIELD_CHARS);
        settings.setNullValue(null);
        settings.setEmptyValue(null);
        settings.setSkipEmptyLines(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        // univocity quotes parsed content in its errors; the sandbox must not.
        settings.setErrorContentLength(0);
        return settings;
    }

    private static List<String> headerNames(String[] header, Map<String, ColumnType> declared) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.length; i++) {
            String name = header[i] == null ? "" : header[i].strip().toLowerCase(Locale.ROOT);
            if (!DatasetColumn.IDENTIFIER.matcher(name).matches()) {
                throw invalid("header field " + (i + 1) + " is not a column name (letters, digits and _; no leading digit)");
            }
            if (!seen.add(name)) {
                throw invalid("header field " + (i + 1) + " repeats an earlier column name");
            }
            names.add(name);
        }
        for (String name : declared.keySet()) {
            if (!seen.contains(name)) {
                throw invalid("declared column " + name + " is not in the header");
            }
        }
        return names;
    }

    /** The narrowest type every non-empty value of a column fits: integer, bigint, double, date, else string. */
    static ColumnType infer(List<String[]> records, int column) {
        boolean integer = true;
        boolean bigint = true;
        boolean dbl = true;
        boolean date = true;
        boolean any = false;
        for (String[] record : records) {
            String value = record[column];
            if (value == null || value.isBlank()) {
                continue;
            }
            any = true;
            String v = value.strip();
            if (integer && !fits(v, ColumnType.INTEGER)) {
                integer = false;
            }
            if (bigint && !fits(v, ColumnType.BIGINT)) {
                bigint = false;
            }
            if (dbl && !fits(v, ColumnType.DOUBLE)) {
                dbl = false;
            }
            if (date && !fits(v, ColumnType.DATE)) {
                date = false;
            }
        }
        if (!any) {
            return ColumnType.STRING;
        }
        return integer ? ColumnType.INTEGER : bigint ? ColumnType.BIGINT : dbl ? ColumnType.DOUBLE
                : date ? ColumnType.DATE : ColumnType.STRING;
    }

    private static final Pattern INTEGER_TEXT = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL_TEXT =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    /**
     * Inference only takes numbers written as numbers: {@code 0271234567} or {@code +86...} stay strings,
     * or their leading zeros and signs would be lost.
     */
    private static boolean fits(String value, ColumnType type) {
        if ((type == ColumnType.INTEGER || type == ColumnType.BIGINT) && !INTEGER_TEXT.matcher(value).matches()
                || type == ColumnType.DOUBLE && !DECIMAL_TEXT.matcher(value).matches()) {
            return false;
        }
        try {
            convert(value, type);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Object convert(String value, ColumnType type) {
        if (value.isEmpty()) {
            return null;
        }
        return switch (type) {
            case STRING -> value;
            case INTEGER -> Integer.parseInt(value);
            case BIGINT -> Long.parseLong(value);
            case DOUBLE -> {
                double d = Double.parseDouble(value);
                if (!Double.isFinite(d) || value.chars().anyMatch(Character::isLetter) && !value.matches("[-+0-9.eE]+")) {
                    throw new NumberFormatException("not a finite decimal number");
                }
                yield d;
            }
            case DATE -> {
                try {
                    yield LocalDate.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("not an ISO date");
                }
            }
            case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean");
            };
            case TIMESTAMP -> java.time.Instant.parse(value);
        };
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(ErrorCode.INVALID_CSV, "Invalid CSV: " + message);
    }
}
