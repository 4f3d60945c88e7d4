package org.datasandbox.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;

/**
 * A ledger written the way the sandbox writes one, by two operators' scenarios and a YAML scenario, with calls,
 * certificates and uploads in between, generated from a seed: the input of the report and extract tests.
 */
final class ReportLedgers {
    static final Identity ADMIN = new Identity("Wang Fang", Role.ADMIN, "01", "Data Bureau");
    static final Identity ALICE = new Identity("Li Na", Role.DEVELOPER, "02", "Wuhan Health Bureau");
    static final Identity BOB = new Identity("Zhou Jie", Role.DEVELOPER, "03", "Yichang Transport Office");
    static final Identity REVIEWER = new Identity("Chen Jing", Role.REVIEWER, "04", "Data Bureau");

    private ReportLedgers() {
    }

    static EvidenceLedger generate(Path dir, long seed) throws IOException {
        Files.createDirectories(dir.getParent());
        EvidenceLedger ledger = EvidenceLedger.open(dir, CryptoProfile.of(CryptoProfile.Kind.SM));
        ledger.append(Identity.system(), "sandbox.opened", "sandbox", Map.of("datasets", "0"));
        ledger.append(ADMIN, "application.approved", "app-1", Map.of("scenario", "clinic-visits",
                "organization", "Wuhan Health Bureau", "grants", "visits(district)"));
        ledger.append(ADMIN, "application.approved", "app-2", Map.of("scenario", "bus-lines",
                "organization", "Yichang Transport Office", "grants", "trips(line)"));
        ledger.append(ADMIN, "policy.applied", "public-health", Map.of("scenario", "public-health"));
        Random random = new Random(seed);
        String[] scenarios = {"clinic-visits", "bus-lines", "public-health"};
        String[] tables = {"visits", "trips", "residents"};
        for (int i = 0; i < 30; i++) {
            int which = random.nextInt(3);
            Identity developer = which == 1 ? BOB : ALICE;
            String scenario = scenarios[which];
            String job = "job-" + seed + "-" + i;
            ledger.append(developer, "rpc", "/datasandbox.v1.JobService/SubmitJob", Map.of("status", "OK"));
            ledger.append(developer, "job.submitted", job, Map.of("scenario", scenario, "sqlHash", "h" + i));
            boolean refused = random.nextInt(5) == 0;
            ledger.append(developer, "guard.decision", job, Map.of("scenario", scenario,
                    "decision", refused ? "REJECT" : "ALLOW", "tables", tables[which]));
            if (refused) {
                ledger.append(developer, "job.failed", job, Map.of("code", "POLICY_DENIED"));
                continue;
            }
            if (random.nextInt(4) == 0) {
                String request = "rr-" + i;
                ledger.append(developer, "job.held", job, Map.of("request", request, "reason", "REVIEW_MODE"));
                ledger.append(developer, "release.held", request, Map.of("job", job, "scenario", scenario));
                ledger.append(REVIEWER, "release.vote", request, Map.of("job", job, "verdict", "APPROVE"));
            }
            ledger.append(Identity.system(), "budget.spent", tables[which], Map.of("scenario", scenario,
                    "epsilon", String.format(java.util.Locale.ROOT, "%.6g", 0.1 * (1 + random.nextInt(5)))));
            ledger.append(developer, "job.released", job, Map.of("scenario", scenario, "rows", "3"));
        }
        ledger.append(Identity.system(), "certificate.revoked", "05", Map.of("name", "Zhou Jie"));
        ledger.append(ADMIN, "authorization.ended", "bus-lines", Map.of("revokedCertificates", "1",
                "reason", "term over"));
        return ledger;
    }
}
