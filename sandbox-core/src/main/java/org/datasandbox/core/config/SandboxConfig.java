package org.datasandbox.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * Settings of one sandbox. The embedded default is Spark in local mode with everything under one data
 * directory; pointing {@code sparkMaster} at a cluster URL scales out without other changes.
 *
 * @param sampleRows target size of a development sample per table
 * @param maxUploadBytes quota of one upload: it is staged on disk and imported in bounded memory, so
 *        this bounds disk use and import time, not the heap
 * @param maxResultRows largest result a job may release
 * @param limits how much runtime state the sandbox keeps, and for how long
 * @param jobLimits how many jobs run and wait, overall and per developer
 * @param keys where the keys are kept, outside the data directory
 * @param metadataUrl where the metadata (catalog, policies, scenarios, job ids and records, budgets) lives: empty
 *        for files under the data directory (the default), or a {@code jdbc:postgresql://} URL shared by servers
 * @param spark the driver's addresses and ports and further SparkSession settings (loopback by default)
 * @param maxExtractRows largest output a job may hold for review (review mode, or a threshold output held as a
 *        possible difference): such an output is streamed into sealed storage, never held in memory, so this bounds
 *        disk and time, not the heap; {@code maxResultRows} stays the cap of outputs released automatically
 */
public record SandboxConfig(Path dataDir, String sparkMaster, CryptoProfile.Kind cryptoProfile,
                            int sampleRows, long maxUploadBytes, int maxResultRows, int shufflePartitions,
                            Limits limits, JobLimits jobLimits, KeySettings keys,
                            String metadataUrl, SparkSettings spark, int maxExtractRows) {

    /**
     * Bounds on what the sandbox holds while it runs.
     *
     * @param maxSampleDownloadRows most rows of one sample download
     * @param refusedCallsPeriod at most one ledger entry per period for calls refused before authentication
     * @param jobRetention how long a finished job and its released result stay fetchable
     * @param maxRetainedResultBytes total size of the released results kept; the oldest go first beyond it
     * @param maxCachedSamples most entries in each of the sample service's caches (samples made per scenario,
     *        table and kind; dev-run sessions per scenario; profiles of the originals); the least recently used
     *        go first beyond it and are made again, the same, when asked for
     * @param sampleCacheIdle how long a cached sample, session or profile stays unused before it is dropped
     */
    public record Limits(int maxSampleDownloadRows, Duration refusedCallsPeriod, Duration jobRetention,
                         long maxRetainedResultBytes, int maxCachedSamples, Duration sampleCacheIdle) {
        public static final Limits DEFAULT = new Limits(10_000, Duration.ofSeconds(10), Duration.ofHours(24),
                256L * 1024 * 1024, 256, Duration.ofHours(6));

        public Limits {
            Objects.requireNonNull(refusedCallsPeriod, "refusedCallsPeriod");
            Objects.requireNonNull(jobRetention, "jobRetention");
            Objects.requireNonNull(sampleCacheIdle, "sampleCacheIdle");
            if (maxSampleDownloadRows < 1 || maxRetainedResultBytes < 1 || maxCachedSamples < 1) {
                throw new IllegalArgumentException("limits must be positive. Provided values: " + maxSampleDownloadRows
                        + ", " + maxRetainedResultBytes + ", " + maxCachedSamples);
            }
            if (refusedCallsPeriod.isNegative() || jobRetention.isNegative() || jobRetention.isZero()
                    || sampleCacheIdle.isNegative() || sampleCacheIdle.isZero()) {
                throw new IllegalArgumentException("periods must be positive. Provided values: " + refusedCallsPeriod
                        + ", " + jobRetention + ", " + sampleCacheIdle);
            }
        }

        public Limits withJobRetention(Duration retention, long resultBytes) {
            return new Limits(maxSampleDownloadRows, refusedCallsPeriod, retention, resultBytes, maxCachedSamples,
                    sampleCacheIdle);
        }

        public Limits withSampleCache(int entries, Duration idle) {
            return new Limits(maxSampleDownloadRows, refusedCallsPeriod, jobRetention, maxRetainedResultBytes, entries, idle);
        }
    }

    public SandboxConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(sparkMaster, "sparkMaster");
        Objects.requireNonNull(cryptoProfile, "cryptoProfile");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(jobLimits, "jobLimits");
        Objects.requireNonNull(metadataUrl, "metadataUrl");
        if (!metadataUrl.isEmpty() && !metadataUrl.startsWith("jdbc:postgresql:")) {
            // the URL may carry a password: it is not repeated
            throw new IllegalArgumentException("the metadata URL must be empty (files) or start with jdbc:postgresql:");
        }
        Objects.requireNonNull(spark, "spark");
        if (sampleRows < 1 || maxUploadBytes < 1 || maxResultRows < 1 || shufflePartitions < 1 || maxExtractRows < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** 16 GiB: uploads stream to disk, so the quota is a disk and time budget (it was 256 MiB held in memory). */
    public static final long DEFAULT_UPLOAD_QUOTA = 16L * 1024 * 1024 * 1024;

    /** Rows of an output held for review at most, by default: a ten-million-row extract. */
    public static final int DEFAULT_EXTRACT_ROWS = 10_000_000;

    public static SandboxConfig embedded(Path dataDir) {
        return new SandboxConfig(dataDir, "local[*]", CryptoProfile.Kind.SM, 1_000,
                DEFAULT_UPLOAD_QUOTA, 100_000, 4, Limits.DEFAULT, JobLimits.DEFAULT, KeySettings.beside(dataDir), "",
                SparkSettings.LOOPBACK, DEFAULT_EXTRACT_ROWS);
    }

    public SandboxConfig withSparkMaster(String master) {
        return new SandboxConfig(dataDir, master, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows, shufflePartitions,
                limits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withCryptoProfile(CryptoProfile.Kind kind) {
        return new SandboxConfig(dataDir, sparkMaster, kind, sampleRows, maxUploadBytes, maxResultRows, shufflePartitions,
                limits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withSampleRows(int rows) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, rows, maxUploadBytes, maxResultRows, shufflePartitions,
                limits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withMaxUploadBytes(long bytes) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, bytes, maxResultRows, shufflePartitions,
                limits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withLimits(Limits newLimits) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, newLimits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withKeys(KeySettings newKeys) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, limits, jobLimits, newKeys, metadataUrl, spark, maxExtractRows);
    }

    public SandboxConfig withJobLimits(JobLimits newJobLimits) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, limits, newJobLimits, keys, metadataUrl, spark, maxExtractRows);
    }

    /** Keeps the metadata in the PostgreSQL database of a JDBC URL (empty: files under the data directory). */
    public SandboxConfig withMetadataUrl(String url) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, limits, jobLimits, keys, url, spark, maxExtractRows);
    }

    public SandboxConfig withSpark(SparkSettings settings) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, limits, jobLimits, keys, metadataUrl, settings, maxExtractRows);
    }

    /** The largest output a job may hold for review (streamed to sealed storage). */
    public SandboxConfig withMaxExtractRows(int rows) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows,
                shufflePartitions, limits, jobLimits, keys, metadataUrl, spark, rows);
    }

    /** The largest output a job may release automatically (threshold mode). */
    public SandboxConfig withMaxResultRows(int rows) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, maxUploadBytes, rows,
                shufflePartitions, limits, jobLimits, keys, metadataUrl, spark, maxExtractRows);
    }
}
