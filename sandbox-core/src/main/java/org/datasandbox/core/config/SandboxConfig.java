package org.datasandbox.core.config;

import java.nio.file.Path;
import java.util.Objects;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * Settings of one sandbox. The embedded default is Spark in local mode with everything under one data
 * directory; pointing {@code sparkMaster} at a cluster URL scales out without other changes.
 *
 * @param sampleRows target size of a development sample per table
 * @param maxUploadBytes largest dataset accepted in one upload
 * @param maxResultRows largest result a job may release
 */
public record SandboxConfig(Path dataDir, String sparkMaster, CryptoProfile.Kind cryptoProfile,
                            int sampleRows, long maxUploadBytes, int maxResultRows, int shufflePartitions) {

    public SandboxConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(sparkMaster, "sparkMaster");
        Objects.requireNonNull(cryptoProfile, "cryptoProfile");
        if (sampleRows < 1 || maxUploadBytes < 1 || maxResultRows < 1 || shufflePartitions < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static SandboxConfig embedded(Path dataDir) {
        return new SandboxConfig(dataDir, "local[*]", CryptoProfile.Kind.SM, 1_000,
                256L * 1024 * 1024, 100_000, 4);
    }

    public SandboxConfig withSparkMaster(String master) {
        return new SandboxConfig(dataDir, master, cryptoProfile, sampleRows, maxUploadBytes, maxResultRows, shufflePartitions);
    }

    public SandboxConfig withCryptoProfile(CryptoProfile.Kind kind) {
        return new SandboxConfig(dataDir, sparkMaster, kind, sampleRows, maxUploadBytes, maxResultRows, shufflePartitions);
    }

    public SandboxConfig withSampleRows(int rows) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, rows, maxUploadBytes, maxResultRows, shufflePartitions);
    }

    public SandboxConfig withMaxUploadBytes(long bytes) {
        return new SandboxConfig(dataDir, sparkMaster, cryptoProfile, sampleRows, bytes, maxResultRows, shufflePartitions);
    }
}
