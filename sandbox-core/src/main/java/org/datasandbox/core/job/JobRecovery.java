package org.datasandbox.core.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;

/**
 * What a start does with the jobs of the previous run, however it ended. A job that was queued or
 * running is closed as {@code FAILED/INTERRUPTED} with a ledger entry (its SQL was never written down,
 * so it cannot run again; its owner sees the outcome and submits again). A released result stays
 * fetchable until its retention ends, provided its file still has the hash the ledger signed. Every
 * other result file is destroyed: nothing unreleased survives a restart. A kill between a job's outcome
 * entry in the ledger and its journal file is healed from the ledger, so no job gets two outcomes. A job whose
 * output is held for review stays held (until its retention ends), with its sealed output, for the review desk to
 * decide after the restart.
 */
final class JobRecovery {
    private static final Set<String> OUTCOMES = Set.of("job.released", "job.failed", "job.cancelled", "job.refused");
    private final JobJournal journal;
    private final JobRegistry registry;
    private final EvidenceLedger ledger;
    private final CryptoProfile crypto;
    private final Path resultsDir;
    private final org.datasandbox.core.release.SealedResults sealed;

    JobRecovery(JobJournal journal, JobRegistry registry, EvidenceLedger ledger, CryptoProfile crypto, Path resultsDir,
                org.datasandbox.core.release.SealedResults sealed) {
        this.sealed = sealed;
        this.journal = journal;
        this.registry = registry;
        this.ledger = ledger;
        this.crypto = crypto;
        this.resultsDir = resultsDir;
    }

    /** A job of the previous run as it is known again. */
    private record Restored(Job job, Instant finishedAt, long bytes) {
    }

    /** Recovers the jobs of the previous run; returns the records of those still held for review. */
    List<JobRecord> recover() throws IOException {
        List<JobRecord> held = new ArrayList<>();
        Instant now = registry.now();
        Instant expired = registry.expiredBefore();
        List<Restored> restored = new ArrayList<>();
        Set<Path> keptResults = new HashSet<>();
        List<JobRecord> records = new ArrayList<>(journal.load());
        Map<String, LedgerEntry> outcomes = recordedOutcomes(records);
        for (int i = 0; i < records.size(); i++) {
            LedgerEntry outcome = outcomes.get(records.get(i).jobId());
            if (outcome != null) {
                records.set(i, healed(records.get(i), outcome));
            }
        }
        for (JobRecord record : records) {
            Job job = new Job(record.jobId(), record.ownerIdentity(), record.scenario(), "", record.sqlHash(), Set.of());
            switch (record.state()) {
                case QUEUED, RUNNING -> {
                    ledger.append(Identity.system(), "job.interrupted", record.jobId(), Map.of(
                            "code", ErrorCode.INTERRUPTED.name(), "was", record.state().name().toLowerCase(Locale.ROOT)));
                    journal.write(record.ended(JobState.FAILED, now.toString(), ErrorCode.INTERRUPTED.name()));
                    job.publish(new JobEvent(job.id(), JobState.FAILED, 0, 0,
                            "The sandbox stopped before the job ended; submit it again", ErrorCode.INTERRUPTED.name()));
                    restored.add(new Restored(job, now, 0));
                }
                case RELEASED -> {
                    Instant finished = Instant.parse(record.finishedAt());
                    long bytes = finished.isAfter(expired) ? intactResult(record) : -1;
                    if (bytes < 0) {
                        journal.delete(record.jobId());
                        continue;
                    }
                    job.release(new ReleasedResult(job.id(), record.rows(), record.resultSha(), record.ledgerSequence(),
                            bytes));
                    job.publish(new JobEvent(job.id(), JobState.RELEASED, 0, 0, "released " + record.rows() + " rows", null));
                    keptResults.add(sealed.file(record.scenario(), record.jobId()));
                    restored.add(new Restored(job, finished, bytes));
                }
                case HELD -> {
                    Instant finished = Instant.parse(record.finishedAt());
                    if (!finished.isAfter(expired)) {
                        journal.delete(record.jobId());
                        continue;
                    }
                    job.publish(new JobEvent(job.id(), JobState.HELD, 0, 0, "held for review",
                            ErrorCode.AWAITING_REVIEW.name()));
                    keptResults.add(sealed.heldFile(record.scenario(), record.jobId()));
                    held.add(record);
                    restored.add(new Restored(job, finished, 0));
                }
                case FAILED, CANCELLED -> {
                    Instant finished = Instant.parse(record.finishedAt());
                    if (!finished.isAfter(expired)) {
                        journal.delete(record.jobId());
                        continue;
                    }
                    job.publish(new JobEvent(job.id(), record.state(), 0, 0,
                            "the job ended without a result (" + record.errorCode() + ")", record.errorCode()));
                    restored.add(new Restored(job, finished, 0));
                }
            }
        }
        restored.sort(Comparator.comparing(Restored::finishedAt));
        restored.forEach(r -> registry.restore(r.job(), r.finishedAt(), r.bytes()));
        destroyOtherResults(keptResults);
        return held;
    }

    /**
     * The outcome entries the ledger holds for jobs the journal still has as queued or running (a kill
     * came between the two writes); reading the ledger only when there are such jobs.
     */
    private Map<String, LedgerEntry> recordedOutcomes(List<JobRecord> records) throws IOException {
        Set<String> open = new HashSet<>();
        records.stream().filter(r -> !r.state().isTerminal() || r.state() == JobState.HELD)
                .forEach(r -> open.add(r.jobId()));
        Map<String, LedgerEntry> outcomes = new java.util.HashMap<>();
        if (open.isEmpty()) {
            return outcomes;
        }
        for (LedgerEntry entry : ledger.entries()) {
            if (open.contains(entry.subject()) && OUTCOMES.contains(entry.action())) {
                outcomes.put(entry.subject(), entry);
            }
        }
        return outcomes;
    }

    /** The journal record as the ledger's outcome entry says the job ended. */
    private static JobRecord healed(JobRecord record, LedgerEntry outcome) {
        String at = Instant.parse(outcome.time()).toString();
        return switch (outcome.action()) {
            case "job.released" -> record.released(at, Long.parseLong(outcome.details().getOrDefault("rows", "0")),
                    outcome.details().getOrDefault("resultSha", ""), outcome.sequence());
            case "job.cancelled" -> record.ended(JobState.CANCELLED, at, ErrorCode.CANCELLED.name());
            default -> record.ended(JobState.FAILED, at, outcome.details().getOrDefault("code", ErrorCode.EXECUTION_FAILED.name()));
        };
    }

    /**
     * The size of the result's Arrow IPC when its sealed file opens with the hash the ledger signed (read through
     * chunk by chunk, never whole); else -1, recorded. A result an earlier version kept in clear
     * ({@code <job>.arrow}) is sealed now and its clear file removed.
     */
    private long intactResult(JobRecord record) throws IOException {
        String problem;
        java.util.Optional<java.io.InputStream> opened;
        try {
            opened = sealed.reader(record.scenario(), record.jobId());
        } catch (IOException e) {
            opened = null; // the scenario's key was destroyed
        }
        Path legacy = resultsDir.resolve(record.jobId() + ".arrow");
        if (opened == null) {
            problem = "unreadable";
        } else if (opened.isPresent()) {
            java.security.MessageDigest digest = crypto.newDigest();
            long bytes;
            try (java.io.InputStream in = new java.security.DigestInputStream(opened.get(), digest)) {
                bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                bytes = -1; // a damaged chunk
            }
            if (bytes >= 0 && HexFormat.of().formatHex(digest.digest()).equals(record.resultSha())) {
                return bytes;
            }
            problem = bytes < 0 ? "unreadable" : "altered";
        } else if (!Files.isRegularFile(legacy)) {
            problem = "missing";
        } else {
            byte[] ipc = Files.readAllBytes(legacy);
            if (HexFormat.of().formatHex(crypto.hash(ipc)).equals(record.resultSha())) {
                sealed.write(record.scenario(), record.jobId(), ipc);
                Files.delete(legacy);
                return ipc.length;
            }
            problem = "altered";
        }
        ledger.append(Identity.system(), "job.result_discarded", record.jobId(), Map.of("reason", problem));
        return -1;
    }

    private void destroyOtherResults(Set<Path> kept) throws IOException {
        try (Stream<Path> files = Files.walk(resultsDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!kept.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
