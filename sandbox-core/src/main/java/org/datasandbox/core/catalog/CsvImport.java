package org.datasandbox.core.catalog;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.ByteArrayInputStream;
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
 * Strict CSV import with univocity (the parser Spark itself uses), streaming: UTF-8 only, a header of
 * identifiers, every row as wide as the header, every quote closed, empty fields as nulls, types inferred
 * per column unless declared. A first pass checks every row and infers the types while holding one row at
 * a time; the {@link RowSource} it returns parses the file again to hand out typed rows. Every refusal
 * names a line and a column, never a field's content.
 */
public final class CsvImport {
    static final int MAX_COLUMNS = 512;
    static final int MAX_FIELD_CHARS = 64 * 1024;
    /**
     * Appended after the input: a lone surrogate, which no valid UTF-8 decodes to. If a quote is left open,
     * the parser swallows it into that field; if every quote is closed, it comes back as a record of its own.
     */
    private static final String END_MARK = "\uD800";

    private CsvImport() {
    }

    /**
     * Parses and types an upload held in memory.
     *
     * @param declared column types the provider declared; the others are inferred
     * @throws SandboxException with {@link ErrorCode#INVALID_CSV}
     */
    public static ImportedTable parse(byte[] bytes, Map<String, ColumnType> declared) {
        try {
            return ImportedTable.of(read(() -> new ByteArrayInputStream(bytes), declared));
        } catch (java.io.IOException e) {
            throw invalid("the file could not be read as UTF-8 CSV");
        }
    }

    /**
     * Checks a whole upload, in one pass over {@code input} holding one row at a time, and returns it as
     * typed rows that a second pass reads.
     *
     * @param declared column types the provider declared; the others are inferred
     * @throws SandboxException with {@link ErrorCode#INVALID_CSV}
     */
    public static RowSource read(RowSource.Input input, Map<String, ColumnType> declared) {
        List<String> names;
        ColumnGuess[] guesses;
        ColumnType[] declaredTypes;
        long rows = 0;
        try (Records records = new Records(input)) {
            String[] header = records.next();
            if (header == null) {
                throw invalid(records.emptyInput() ? "the file is empty" : "the file has no header");
            }
            names = headerNames(header, declared);
            guesses = new ColumnGuess[names.size()];
            declaredTypes = new ColumnType[names.size()];
            for (int c = 0; c < names.size(); c++) {
                guesses[c] = new ColumnGuess();
                declaredTypes[c] = declared.get(names.get(c));
            }
            String[] record;
            while ((record = records.next()) != null) {
                rows++;
                for (int c = 0; c < record.length; c++) {
                    String raw = record[c];
                    if (declaredTypes[c] == null) {
                        guesses[c].see(raw);
                    } else if (raw != null) {
                        try {
                            convert(declaredTypes[c] == ColumnType.STRING ? raw : raw.strip(), declaredTypes[c]);
                        } catch (RuntimeException e) {
                            throw invalid("line " + records.line() + ", column " + names.get(c) + " is not a valid "
                                    + declaredTypes[c].name().toLowerCase(Locale.ROOT) + " (row " + rows + ")");
                        }
                    }
                }
            }
        }
        if (rows == 0) {
            throw invalid("the file has a header but no rows");
        }
        List<DatasetColumn> columns = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            columns.add(new DatasetColumn(names.get(c), declaredTypes[c] != null ? declaredTypes[c] : guesses[c].type()));
        }
        return new TypedRows(input, List.copyOf(columns), rows);
    }

    /** The rows of a checked CSV, typed: each read parses the file again. */
    private record TypedRows(RowSource.Input input, List<DatasetColumn> columns, long rowCount) implements RowSource {
        @Override
        public void forEachRow(RowSink sink) throws java.io.IOException {
            ColumnType[] types = columns.stream().map(DatasetColumn::type).toArray(ColumnType[]::new);
            Object[] row = new Object[types.length];
            try (Records records = new Records(input)) {
                records.next(); // the header, checked by the first pass
                String[] record;
                while ((record = records.next()) != null) {
                    for (int c = 0; c < types.length; c++) {
                        String raw = record[c];
                        // strings stay exactly as sent; numbers and dates may be padded with spaces
                        row[c] = raw == null ? null : convert(types[c] == ColumnType.STRING ? raw : raw.strip(), types[c]);
                    }
                    sink.accept(row);
                }
            } catch (SandboxException e) {
                throw new java.io.IOException("the upload changed between the check and the import", e);
            }
        }
    }

    /**
     * The records of one pass: checked for width, closed quotes and UTF-8; each knows the line it starts
     * on. Errors name lines and columns and quote nothing.
     */
    private static final class Records implements AutoCloseable {
        private final CsvParser parser = new CsvParser(settings());
        private final MarkedReader reader;
        private int width = -1;
        private long line;
        private boolean ended;
        private boolean started;

        Records(RowSource.Input input) {
            try {
                this.reader = new MarkedReader(new StrictUtf8Reader(input.open()));
            } catch (java.io.IOException e) {
                throw invalid("the file could not be read");
            }
        }

        boolean emptyInput() {
            return reader.empty();
        }

        /** The line the last record returned starts on (1-based). */
        long line() {
            return line;
        }

        /** The next record, or null after the last. */
        String[] next() {
            if (ended) {
                return null;
            }
            String[] record;
            long before = started ? parser.getContext().currentLine() : 0;
            try {
                if (!started) {
                    started = true;
                    parser.beginParsing(reader); // reads ahead: decoding errors may surface here
                }
                record = parser.parseNext();
            } catch (TextParsingException e) {
                notUtf8(e);
                if (e.getMessage() != null && e.getMessage().contains("exceeds the maximum number of characters")
                        || e.getMessage() != null && e.getMessage().contains("Length of parsed input")) {
                    throw invalid("a field starting near line " + (before + 1) + " is longer than " + MAX_FIELD_CHARS
                            + " characters, or a quote opened there is never closed");
                }
                throw invalid("malformed CSV near line " + (e.getLineIndex() + 1) + ", column " + (e.getColumnIndex() + 1));
            } catch (IllegalStateException e) {
                notUtf8(e);
                throw invalid("the file could not be read as UTF-8 CSV");
            }
            line = before + 1;
            if (record == null) {
                // the end mark was swallowed by an open quote of the last record and the parser hit the end
                throw invalid("a quote opened on line " + line + " is never closed");
            }
            if (record.length == 1 && END_MARK.equals(record[0])) {
                ended = true;
                return null;
            }
            String last = record[record.length - 1];
            if (last != null && last.contains(END_MARK)) {
                throw invalid("a quote opened on line " + line + " is never closed");
            }
            if (width < 0) {
                width = record.length;
            } else if (record.length != width) {
                throw invalid("line " + line + " has " + record.length + " fields but the header has " + width);
            }
            return record;
        }

        @Override
        public void close() {
            try {
                parser.stopParsing();
            } catch (RuntimeException e) {
                // the parse already failed and was reported; closing the input cannot add anything
            }
        }
    }

    /** The decoded input followed by a newline and {@link #END_MARK}. */
    private static final class MarkedReader extends java.io.Reader {
        private static final char[] TAIL = ("\n" + END_MARK + "\n").toCharArray();
        private final java.io.Reader in;
        private int tailPosition = -1;
        private boolean any;

        MarkedReader(java.io.Reader in) {
            this.in = in;
        }

        boolean empty() {
            return !any;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws java.io.IOException {
            if (length == 0) {
                return 0;
            }
            if (tailPosition < 0) {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    any = true;
                    return n;
                }
                if (n == 0) {
                    return 0;
                }
                tailPosition = 0;
            }
            if (tailPosition >= TAIL.length) {
                return -1;
            }
            int n = Math.min(length, TAIL.length - tailPosition);
            System.arraycopy(TAIL, tailPosition, buffer, offset, n);
            tailPosition += n;
            return n;
        }

        @Override
        public void close() throws java.io.IOException {
            in.close();
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
        // a quote inside a quoted field must be doubled: anything else is a broken file, not a guess to make
        settings.setUnescapedQuoteHandling(com.univocity.parsers.csv.UnescapedQuoteHandling.RAISE_ERROR);
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

    /** The narrowest type every non-empty value of a column seen so far fits: integer, bigint, double, date, else string. */
    static final class ColumnGuess {
        private boolean integer = true;
        private boolean bigint = true;
        private boolean dbl = true;
        private boolean date = true;
        private boolean any;

        void see(String value) {
            if (value == null || value.isBlank() || !(integer || bigint || dbl || date)) {
                any |= value != null && !value.isBlank();
                return;
            }
            any = true;
            String v = value.strip();
            integer = integer && fits(v, ColumnType.INTEGER);
            bigint = bigint && fits(v, ColumnType.BIGINT);
            dbl = dbl && fits(v, ColumnType.DOUBLE);
            date = date && fits(v, ColumnType.DATE);
        }

        ColumnType type() {
            if (!any) {
                return ColumnType.STRING;
            }
            return integer ? ColumnType.INTEGER : bigint ? ColumnType.BIGINT : dbl ? ColumnType.DOUBLE
                    : date ? ColumnType.DATE : ColumnType.STRING;
        }
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

    /** Throws the UTF-8 refusal with its line if a decoding error caused {@code e}. */
    private static void notUtf8(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof StrictUtf8Reader.MalformedLine malformed) {
                throw invalid("the file is not valid UTF-8 (line " + malformed.line() + ")");
            }
        }
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(ErrorCode.INVALID_CSV, "Invalid CSV: " + message);
    }
}
