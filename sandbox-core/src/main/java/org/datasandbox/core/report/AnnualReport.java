package org.datasandbox.core.report;

import java.util.List;
import java.util.Objects;

/**
 * The annual report: per operator and scenario, what the ledger recorded in one calendar year of the server's zone.
 * It names what it was computed from: the ledger's entries 1 to {@code checkpointSequence}, whose last one hashed
 * to {@code checkpointHash}, signed as {@code checkpointSignature} by the ledger key.
 */
public record AnnualReport(int year, String zone, long checkpointSequence, String checkpointHash,
                           String checkpointSignature, long firstSequence, long lastSequence, List<ReportRow> rows) {
    public AnnualReport {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(checkpointHash, "checkpointHash");
        Objects.requireNonNull(checkpointSignature, "checkpointSignature");
        rows = List.copyOf(rows);
    }
}
