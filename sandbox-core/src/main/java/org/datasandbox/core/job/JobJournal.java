package org.datasandbox.core.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.datasandbox.core.budget.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job state on disk: one small JSON file per job, replaced atomically (write, fsync, rename) at each
 * change, so that a kill at any point leaves each job's last recorded state whole. It holds only what
 * the ledger holds ({@link JobRecord}).
 */
final class JobJournal {
    private static final Logger LOG = LoggerFactory.getLogger(JobJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private JobJournal(Path dir) {
        this.dir = dir;
    }

    static JobJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new JobJournal(dir);
    }

    void write(JobRecord record) {
        try {
            AtomicFiles.write(file(record.jobId()), JSON.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("the job journal cannot be written", e);
        }
    }

    void delete(String jobId) {
        if (!JobRecord.isJobId(jobId)) {
            return; // no such file can exist
        }
        try {
            Files.deleteIfExists(file(jobId));
        } catch (IOException e) {
            LOG.warn("job {}: its journal file could not be deleted ({})", jobId, e.getClass().getName());
        }
    }

    /** Every job recorded; leftovers of an interrupted write and unreadable files are removed. */
    List<JobRecord> load() throws IOException {
        List<JobRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JobRecord record = name.endsWith(".json") ? read(file) : null;
                if (record == null || !name.equals(record.jobId() + ".json")) {
                    LOG.warn("job journal: removing {}, which is not a job record", name);
                    Files.deleteIfExists(file);
                    continue;
                }
                records.add(record);
            }
        }
        return records;
    }

    private static JobRecord read(Path file) {
        try {
            return JSON.readValue(file.toFile(), JobRecord.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private Path file(String jobId) {
        if (!JobRecord.isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id");
        }
        return dir.resolve(jobId + ".json");
    }
}
