package org.datasandbox.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.release.SealedResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRegistryTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();

    private static Job job(String id) {
        return new Job(id, Identity.system(), "s", "SELECT 1", "h", Set.of());
    }

    private SealedResults sealed;

    private JobRegistry registry(Duration retention, long bytes) {
        try {
            var crypto = org.datasandbox.core.crypto.CryptoProfile.of(org.datasandbox.core.crypto.CryptoProfile.Kind.SM);
            sealed = SealedResults.open(dir.resolve("results"), org.datasandbox.core.storage.KeyVault.open(dir.resolve("keys"),
                    crypto, org.datasandbox.core.custody.MasterKey.inMemory(crypto, crypto.newSymmetricKey())), crypto);
            return new JobRegistry(clock, retention, bytes, sealed, JobJournal.open(dir.resolve("journal")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void get_finishedJobPastRetention_isForgottenWithItsResultFile() throws Exception {
        JobRegistry jobs = registry(Duration.ofMinutes(10), 1_000);
        jobs.add(job("job-a"));
        sealed.write("s", "job-a", new byte[100]);
        jobs.finished("job-a", 100);
        clock.advance(Duration.ofMinutes(9));
        assertThat(jobs.get("job-a")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(jobs.get("job-a")).isEmpty();
        assertThat(sealed.file("s", "job-a")).doesNotExist();
        assertThat(jobs.resultBytes()).isZero();
    }

    @Test
    void finished_resultsBeyondTheTotal_evictTheOldestFinishedFirst() {
        JobRegistry jobs = registry(Duration.ofDays(1), 250);
        for (String id : new String[] {"job-a", "job-b", "job-c"}) {
            jobs.add(job(id));
        }
        jobs.finished("job-b", 100);
        jobs.finished("job-a", 100);
        jobs.finished("job-c", 100); // 300 > 250: job-b finished first and goes
        assertThat(jobs.get("job-b")).isEmpty();
        assertThat(jobs.get("job-a")).isPresent();
        assertThat(jobs.get("job-c")).isPresent();
        assertThat(jobs.resultBytes()).isEqualTo(200);
    }

    @Test
    void evict_runningJobs_areNeverEvicted() {
        JobRegistry jobs = registry(Duration.ofMinutes(1), 10);
        jobs.add(job("job-running"));
        jobs.add(job("job-done"));
        jobs.finished("job-done", 50);
        clock.advance(Duration.ofHours(5));
        assertThat(jobs.get("job-running")).isPresent();
        assertThat(jobs.get("job-done")).isEmpty();
        assertThat(jobs.size()).isEqualTo(1);
    }

    @Test
    void finished_unknownJob_changesNothing() {
        JobRegistry jobs = registry(Duration.ofMinutes(1), 10);
        jobs.finished("job-x", 50);
        assertThat(jobs.size()).isZero();
        assertThat(jobs.resultBytes()).isZero();
        assertThat(jobs.get(null)).isEmpty();
    }
}
