package org.datasandbox.core.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.ledger.LedgerEntry;

/**
 * What an auditor asks to see: entries from {@code from} to {@code to} (dates, both included, in {@code zone}),
 * optionally only those of one operator (organization) or one scenario ({@link LedgerAttribution}); empty means any.
 */
public record AuditFilter(LocalDate from, LocalDate to, String operator, String scenario, ZoneId zone) {
    public AuditFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        operator = operator == null ? "" : operator.strip();
        scenario = scenario == null ? "" : scenario.strip();
        if (to.isBefore(from)) {
            throw SandboxException.invalid("the extract's end date is before its start date");
        }
        if (operator.length() > 200 || scenario.length() > 63) {
            throw SandboxException.invalid("the operator or scenario filter is too long");
        }
    }

    /** Whether an entry's date is within the period (what an extract's reader can check on its own). */
    public boolean inPeriod(LedgerEntry entry) {
        LocalDate day = Instant.parse(entry.time()).atZone(zone).toLocalDate();
        return !day.isBefore(from) && !day.isAfter(to);
    }

    public boolean selects(LedgerEntry entry, LedgerAttribution attribution) {
        if (!inPeriod(entry)) {
            return false;
        }
        if (operator.isEmpty() && scenario.isEmpty()) {
            return true;
        }
        String of = attribution.scenario(entry);
        if (of.isEmpty()) {
            return false;
        }
        return (scenario.isEmpty() || scenario.equals(of)) && (operator.isEmpty() || operator.equals(attribution.operator(of)));
    }
}
