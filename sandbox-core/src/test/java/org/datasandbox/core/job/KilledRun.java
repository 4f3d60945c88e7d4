package org.datasandbox.core.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.JobLimits;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;

/**
 * The run that {@link JobRestartTest} kills: a sandbox on a data directory that releases one job, then
 * queues many behind one worker and waits to be killed (no shutdown, no close).
 */
public final class KilledRun {
    static final String SCENARIO = "restart-study";
    static final String SQL = "SELECT year, COUNT(*) AS n FROM arrests GROUP BY year";

    private KilledRun() {
    }

    static Sandbox open(Path dir) throws java.io.IOException {
        return Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(100).withJobLimits(new JobLimits(1, 64, 64, 1)));
    }

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = open(Path.of(args[0]));
        Identity developer = TestSandbox.as(Role.DEVELOPER);
        Identity admin = TestSandbox.as(Role.ADMIN);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "arrests", "",
                Files.readAllBytes(TestSandbox.examples().resolve("data/arrests.csv")), Map.of());
        sandbox.applyPolicy(admin, Files.readString(TestSandbox.examples().resolve("policies/arrests.yaml")));
        sandbox.applyPolicy(admin, "kind: scenario\nid: " + SCENARIO + "\npurpose: restart test\ndevelopers: [\""
                + developer.name() + "\"]\noutput: {mode: threshold, k: 10}\ngrants:\n  arrests: [\"*\"]\n");
        String released = sandbox.submitJob(developer, SCENARIO, SQL).jobId();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        sandbox.watchJob(developer, released, event -> {
            if (event.state().isTerminal()) {
                ended.countDown();
            }
        });
        ended.await();
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            queued.add(sandbox.submitJob(developer, SCENARIO, SQL).jobId());
        }
        System.out.println("RELEASED " + released);
        System.out.println("SUBMITTED " + String.join(" ", queued));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
