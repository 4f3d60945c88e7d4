package org.datasandbox.core.catalog;

import java.io.IOException;
import java.util.List;

/**
 * A checked, typed table that can be read row by row as often as needed, without holding its rows: what
 * an import hands to storage. Every check has passed before a source exists, so reading it fails only
 * on I/O.
 */
public interface RowSource {

    List<DatasetColumn> columns();

    long rowCount();

    /** Hands every row, in order, to {@code sink}; a row array may be reused after the call returns. */
    void forEachRow(RowSink sink) throws IOException;

    /** Receives one row of Java values ({@code null} for empty fields). */
    @FunctionalInterface
    interface RowSink {
        void accept(Object[] row) throws IOException;
    }

    /** The {@link InputStream} of an upload, opened once per pass. */
    @FunctionalInterface
    interface Input {
        java.io.InputStream open() throws IOException;
    }
}
