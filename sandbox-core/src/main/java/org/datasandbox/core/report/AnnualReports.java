package org.datasandbox.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.datasandbox.core.ledger.Checkpoint;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.ledger.LedgerLines;
import org.datasandbox.core.ledger.LedgerVerification;
import org.datasandbox.core.ledger.LedgerVerifier;

/**
 * Computes the annual report from a ledger directory, and verifies one: the ledger must still contain the report's
 * checkpoint, and the report computed again from the entries up to it must be the same, figure for figure.
 */
public final class AnnualReports {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final int ATTEMPTS = 3;
    /** The codes of a {@code job.failed} the policy caused (the run was refused, nothing left): refusals. */
    private static final java.util.Set<String> REFUSED_RUNS = java.util.Set.of("POLICY_DENIED", "SCENARIO_EXPIRED");

    private AnnualReports() {
    }

    /** The report of {@code year} from a verified ledger, up to its signed head at the time of reading. */
    public static AnnualReport compute(Path ledgerDir, int year, ZoneId zone) throws IOException {
        if (year < 2000 || year > 9999) {
            throw new IllegalArgumentException("the year is between 2000 and 9999");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                // verifies the whole ledger; the entries read after it are the same up to its sequence number
                Checkpoint head = LedgerVerifier.checkpoint(ledgerDir);
                return compute(LedgerLines.read(ledgerDir), head, year, zone);
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // an append between reading the lines and the head makes them disagree: read again
            }
        }
    }

    /** Whether the ledger contains the report's checkpoint and gives the same report again; the problem otherwise. */
    public static String verify(Path ledgerDir, AnnualReport report) throws IOException {
        Checkpoint checkpoint = new Checkpoint(report.checkpointSequence(), report.checkpointHash(),
                report.checkpointSignature());
        LedgerVerification verification = LedgerVerifier.verify(ledgerDir, null, checkpoint);
        if (!verification.valid()) {
            return "the ledger does not contain the report's checkpoint " + checkpoint + ": " + verification.problem();
        }
        AnnualReport again = compute(LedgerLines.read(ledgerDir), checkpoint, report.year(), ZoneId.of(report.zone()));
        if (!again.equals(report)) {
            return "the report differs from the one computed from ledger entries 1 to " + checkpoint.sequence();
        }
        return null;
    }

    /** The report of the entries up to and including the checkpoint's. */
    static AnnualReport compute(List<LedgerEntry> all, Checkpoint head, int year, ZoneId zone) {
        List<LedgerEntry> entries = all.stream().filter(e -> e.sequence() <= head.sequence()).toList();
        LedgerAttribution attribution = new LedgerAttribution(entries);
        Map<List<String>, Tally> tallies = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        long first = 0;
        long last = 0;
        for (LedgerEntry entry : entries) {
            if (Instant.parse(entry.time()).atZone(zone).getYear() != year) {
                continue;
            }
            first = first == 0 ? entry.sequence() : first;
            last = entry.sequence();
            String scenario = attribution.scenario(entry);
            if (scenario.isEmpty()) {
                continue;
            }
            tallies.computeIfAbsent(List.of(attribution.operator(scenario), scenario), k -> new Tally()).add(entry);
        }
        List<ReportRow> rows = new ArrayList<>();
        tallies.forEach((key, tally) -> {
            if (tally.counted) {
                rows.add(tally.row(key.get(0), key.get(1)));
            }
        });
        return new AnnualReport(year, zone.getId(), head.sequence(), head.hash(), head.signature(), first, last, rows);
    }

    /** The figures of one row as they are counted. */
    private static final class Tally {
        private final TreeSet<String> datasets = new TreeSet<>();
        private long jobs;
        private long released;
        private long reviewed;
        private long votes;
        private BigDecimal epsilon = BigDecimal.ZERO;
        private long refusals;
        private long revocations;
        private boolean counted;
        /** Jobs the guard refused: a later {@code job.failed} of one is the same refusal, counted once. */
        private final java.util.Set<String> refusedJobs = new java.util.HashSet<>();

        void add(LedgerEntry entry) {
            Map<String, String> details = entry.details();
            counted = true;
            switch (entry.action()) {
                case "guard.decision" -> {
                    if ("REJECT".equals(details.get("decision"))) {
                        refusals++;
                        refusedJobs.add(entry.subject());
                    } else {
                        for (String table : details.getOrDefault("tables", "").split(",")) {
                            if (!table.isBlank()) {
                                datasets.add(table.strip().toLowerCase(java.util.Locale.ROOT));
                            }
                        }
                    }
                }
                case "job.submitted" -> jobs++;
                case "job.released" -> released++;
                case "release.held" -> reviewed++;
                case "release.vote" -> votes++;
                case "job.refused", "release.vote.refused" -> refusals++;
                case "job.failed" -> { // a run the policy refused (no output) is a refusal; other failures are not
                    if (REFUSED_RUNS.contains(details.getOrDefault("code", "")) && refusedJobs.add(entry.subject())) {
                        refusals++;
                    }
                }
                case "budget.spent" -> epsilon = epsilon.add(new BigDecimal(details.getOrDefault("epsilon", "0")));
                case "authorization.ended" -> revocations += Long.parseLong(details.getOrDefault("revokedCertificates", "0"));
                default -> {
                }
            }
        }

        ReportRow row(String operator, String scenario) {
            return new ReportRow(operator, scenario, List.copyOf(datasets), jobs, released, reviewed, votes,
                    epsilon.stripTrailingZeros().toPlainString(), refusals, revocations);
        }
    }
}
