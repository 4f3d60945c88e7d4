package org.datasandbox.core.job;

import java.util.Objects;
import java.util.regex.Pattern;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;

/**
 * What the journal keeps of one job: exactly what the ledger already holds about it (owner, scenario,
 * the SQL's hash, state, the result's hash and row count), never the SQL, whose literals may be data
 * values, and never a message.
 *
 * @param finishedAt ISO instant when the job ended, empty while it is queued or running
 * @param errorCode the coded outcome of a job that did not release, else empty
 */
record JobRecord(int version, String jobId, String owner, String role, String certificateSerial, String scenario,
                 String sqlHash, JobState state, String submittedAt, String finishedAt, long rows, String resultSha,
                 long ledgerSequence, String errorCode) {
    static final int VERSION = 1;
    private static final Pattern JOB_ID = Pattern.compile("job-[0-9a-f]{1,64}");

    JobRecord {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(sqlHash, "sqlHash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
        finishedAt = finishedAt == null ? "" : finishedAt;
        resultSha = resultSha == null ? "" : resultSha;
        errorCode = errorCode == null ? "" : errorCode;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown job record version. Provided value: " + version);
        }
        if (!isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id");
        }
    }

    static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    static JobRecord queued(Job job, String submittedAt) {
        Identity owner = job.owner();
        return new JobRecord(VERSION, job.id(), owner.name(), owner.role().name(), owner.certificateSerial(), job.scenario(),
                job.sqlHash(), JobState.QUEUED, submittedAt, "", 0, "", 0, "");
    }

    JobRecord running() {
        return new JobRecord(version, jobId, owner, role, certificateSerial, scenario, sqlHash, JobState.RUNNING,
                submittedAt, "", 0, "", 0, "");
    }

    JobRecord released(String at, long releasedRows, String sha, long sequence) {
        return new JobRecord(version, jobId, owner, role, certificateSerial, scenario, sqlHash, JobState.RELEASED,
                submittedAt, at, releasedRows, sha, sequence, "");
    }

    /** Held for review since {@code at}: the run ended, its output waits for a reviewer (kept sealed, see review). */
    JobRecord held(String at) {
        return new JobRecord(version, jobId, owner, role, certificateSerial, scenario, sqlHash, JobState.HELD,
                submittedAt, at, 0, "", 0, "");
    }

    JobRecord ended(JobState endState, String at, String code) {
        return new JobRecord(version, jobId, owner, role, certificateSerial, scenario, sqlHash, endState, submittedAt, at,
                0, "", 0, code);
    }

    Identity ownerIdentity() {
        return new Identity(owner, Role.valueOf(role), certificateSerial);
    }
}
