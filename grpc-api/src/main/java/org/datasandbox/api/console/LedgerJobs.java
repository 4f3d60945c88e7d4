package org.datasandbox.api.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.ledger.LedgerEntry;

/**
 * The jobs as the evidence ledger tells them: who submitted which job under which scenario and when, and the last
 * recorded outcome. The ledger is the record the console shows, so a job the sandbox has forgotten (retention, a
 * restart) is still listed with its history.
 */
final class LedgerJobs {
    /** One job from its ledger entries, in ledger order. */
    record JobHistory(String id, String owner, String scenario, String submitted, String state,
                      List<LedgerEntry> entries) {
        JobHistory {
            entries = List.copyOf(entries);
        }

        Optional<LedgerEntry> decision() {
            return entries.stream().filter(e -> e.action().equals("guard.decision")).findFirst();
        }
    }

    private static final Map<String, String> OUTCOMES = Map.of(
            "job.submitted", "QUEUED", "job.released", "RELEASED", "job.failed", "FAILED",
            "job.cancelled", "CANCELLED", "job.interrupted", "FAILED (interrupted)", "job.refused", "REFUSED",
            "job.result_discarded", "RELEASED (result discarded)", "job.held", "HELD");

    private LedgerJobs() {
    }

    /** Every submitted job, newest first. */
    static List<JobHistory> all(List<LedgerEntry> ledger) {
        Map<String, List<LedgerEntry>> bySubject = new LinkedHashMap<>();
        for (LedgerEntry e : ledger) {
            if (e.subject().startsWith("job-")) {
                bySubject.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(e);
            }
        }
        List<JobHistory> jobs = new ArrayList<>();
        bySubject.forEach((id, entries) -> history(id, entries).ifPresent(jobs::add));
        java.util.Collections.reverse(jobs);
        return jobs;
    }

    static Optional<JobHistory> one(List<LedgerEntry> ledger, String jobId) {
        return history(jobId, ledger.stream().filter(e -> e.subject().equals(jobId)).toList());
    }

    private static Optional<JobHistory> history(String id, List<LedgerEntry> entries) {
        Optional<LedgerEntry> submitted = entries.stream().filter(e -> e.action().equals("job.submitted")).findFirst();
        if (submitted.isEmpty()) {
            return Optional.empty();
        }
        String state = "QUEUED";
        for (LedgerEntry e : entries) {
            state = OUTCOMES.getOrDefault(e.action(), state);
        }
        LedgerEntry s = submitted.get();
        return Optional.of(new JobHistory(id, s.actor(), s.details().getOrDefault("scenario", ""), s.time(), state,
                entries));
    }
}
