package org.datasandbox.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.sample.FixedScenarioKeys;
import org.datasandbox.core.sample.VaultScenarioKeys;

/** One sandbox per test JVM (one SparkSession), in a fresh temporary data directory. */
public final class TestSandbox {
    private static Sandbox sandbox;
    private static Path dataDir;

    private TestSandbox() {
    }

    public static synchronized Sandbox get() {
        if (sandbox == null) {
            try {
                dataDir = Files.createTempDirectory("sandbox-core-test");
                sandbox = Sandbox.open(SandboxConfig.embedded(dataDir).withSampleRows(400));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sandbox;
    }

    /**
     * A sandbox of its own (tests that need a fresh data directory or other sample sizes) whose scenarios take the
     * fixed epoch-0 sample keys given (the vault's for any other scenario): a sample's content is then one
     * repeatable draw. Call {@link #get()} first, for the test JVM's one SparkSession.
     */
    public static Sandbox openWithScenarioKeys(SandboxConfig config, Map<String, byte[]> epochZeroKeys) throws IOException {
        return Sandbox.open(config, Clock.systemUTC(),
                (vault, crypto) -> new FixedScenarioKeys(epochZeroKeys, new VaultScenarioKeys(vault, crypto)));
    }

    /**
     * The live threads that sandboxes start (job workers, ledger checkpoints): a test that opens a sandbox of its own
     * checks that, once closed, it left none of them running.
     */
    public static java.util.Set<Thread> sandboxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("sandbox-job-") || t.getName().equals("ledger-checkpoints"))
                .collect(java.util.stream.Collectors.toSet());
    }

    public static Path dataDir() {
        get();
        return dataDir;
    }

    public static Identity as(Role role) {
        return new Identity(CertificateAuthority.DEMO_HOLDERS.get(role), role, "test-" + role.label());
    }

    /** The repository's examples folder, seen from a module directory. */
    public static Path examples() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("examples folder not found above " + here);
    }
}
