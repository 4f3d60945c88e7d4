package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusedCallsTest {
    @TempDir
    Path dir;

    @Test
    void record_aFlood_writesTheFirstCallAtOnceThenOneCountedEntryPerPeriod() throws IOException {
        EvidenceLedger ledger = EvidenceLedger.open(dir, CryptoProfile.of(CryptoProfile.Kind.SM));
        RefusedCalls refused = new RefusedCalls(ledger, Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) {
            refused.record("/datasandbox.v1.Jobs/Submit");
        }
        assertThat(entries()).hasSize(1);
        refused.flush();
        refused.flush(); // nothing pending: nothing written
        List<String> entries = entries();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).contains("\"calls\":\"1\"").contains("UNAUTHENTICATED");
        assertThat(entries.get(1)).contains("\"calls\":\"999\"").contains("/datasandbox.v1.Jobs/Submit");
        assertThat(LedgerVerifier.verify(dir).valid()).isTrue();
    }

    @Test
    void record_afterThePeriod_writesAgain() throws IOException {
        EvidenceLedger ledger = EvidenceLedger.open(dir, CryptoProfile.of(CryptoProfile.Kind.SM));
        RefusedCalls refused = new RefusedCalls(ledger, Duration.ZERO);
        refused.record("/a");
        refused.record("/b");
        assertThat(entries()).hasSize(2);
    }

    private List<String> entries() throws IOException {
        return Files.readAllLines(dir.resolve("ledger.jsonl"));
    }
}
