package org.datasandbox.core.upload;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.catalog.UploadFormat;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;

/**
 * Run in a JVM of its own with a small heap ({@link LargeUploadSmallHeapTest}, or by hand for the README's
 * figures): opens a sandbox, uploads a CSV generated on the fly in 1 MiB chunks, registers it and prints
 * one line: {@code rows=... bytes=... hash=... expectedHash=... uploadSeconds=... importSeconds=... peakHeapMiB=...
 * (the sum of the heap pools' peaks, an upper bound) maxHeapMiB=... cpuSeconds=...}.
 * Arguments: data directory, megabytes of CSV, and optionally the crypto profile (default SM).
 */
public final class SmallHeapUpload {
    private SmallHeapUpload() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        long targetBytes = Long.parseLong(args[1]) * 1024 * 1024;
        Identity provider = new Identity(CertificateAuthority.DEMO_HOLDERS.get(Role.PROVIDER), Role.PROVIDER, "provider");
        SandboxConfig config = SandboxConfig.embedded(dataDir);
        if (args.length > 2) {
            config = config.withCryptoProfile(org.datasandbox.core.crypto.CryptoProfile.Kind.parse(args[2]));
        }
        try (Sandbox sandbox = Sandbox.open(config)) {
            MessageDigest expected = MessageDigest.getInstance(sandbox.crypto().hashName(), BouncyCastle.PROVIDER);
            long started = System.nanoTime();
            long rows = 0;
            DatasetDescriptor registered;
            try (StagedUpload upload = sandbox.beginUpload(provider)) {
                StringBuilder chunk = new StringBuilder(1 << 21);
                chunk.append("id,age,city,score,born,note\n");
                while (upload.size() < targetBytes) {
                    while (chunk.length() < (1 << 20)) {
                        rows++;
                        chunk.append(rows).append(',').append(18 + rows % 80).append(",city_").append(rows % 997)
                                .append(',').append(rows % 1000 / 8.0).append(",19").append(10 + rows % 90)
                                .append('-').append(rows % 9 + 1 < 10 ? "0" : "").append(rows % 9 + 1).append("-1")
                                .append(rows % 9).append(",\"note, number ").append(rows * 7919 % 100_003).append("\"\n");
                    }
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    chunk.setLength(0);
                    expected.update(bytes);
                    upload.append(bytes);
                }
                upload.finish();
                long uploaded = System.nanoTime();
                registered = sandbox.registerDataset(provider, "big", "generated", upload, UploadFormat.CSV, Map.of());
                long imported = System.nanoTime();
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
                System.out.printf("rows=%d expectedRows=%d bytes=%d hash=%s expectedHash=%s uploadSeconds=%.1f"
                                + " importSeconds=%.1f peakHeapMiB=%d maxHeapMiB=%d cpuSeconds=%.1f%n",
                        registered.rows(), rows, upload.size(), registered.contentHash(),
                        HexFormat.of().formatHex(expected.digest()), (uploaded - started) / 1e9,
                        (imported - uploaded) / 1e9, peak >> 20, Runtime.getRuntime().maxMemory() >> 20, cpu / 1e9);
            }
        }
    }
}
