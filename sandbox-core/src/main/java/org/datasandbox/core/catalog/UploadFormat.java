package org.datasandbox.core.catalog;

import java.util.Locale;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;

/** The file formats a provider registers original tables in. */
public enum UploadFormat {
    /** UTF-8 CSV with a header of column names; types inferred or declared ({@link CsvImport}). */
    CSV,
    /** Parquet with flat columns; its schema gives the types ({@link ParquetImport}). */
    PARQUET;

    /** Parses {@code csv} or {@code parquet}; empty means CSV, the format of the first uploads. */
    public static UploadFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return CSV;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "parquet" -> PARQUET;
            default -> throw new SandboxException(ErrorCode.INVALID_ARGUMENT, "the upload format must be csv or parquet");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
