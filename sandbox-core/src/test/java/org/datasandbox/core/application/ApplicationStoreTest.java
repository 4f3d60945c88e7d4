package org.datasandbox.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Applications survive a restart as they were stored: pending ones and decided ones with what they granted. */
class ApplicationStoreTest {

    @Test
    void open_afterPut_readsEveryApplicationBackUnchanged() throws Exception {
        Path dir = Files.createTempDirectory("applications");
        ApplicationRequest asked = new ApplicationRequest("study", "Wuhan Health Bureau", "planning",
                Map.of("visits", Set.of("district", "age")), "counts", "threshold", 10, 5, 365, List.of("Wang Fang"));
        ScenarioApplication pending = new ScenarioApplication("app-1", "Wang Fang", asked, ApplicationState.PENDING, null,
                "", "", "2026-11-30T00:00:00Z", "", "");
        ScenarioApplication narrowed = new ScenarioApplication("app-2", "Wang Fang", asked, ApplicationState.PENDING, null,
                "", "", "2026-11-30T00:00:01Z", "", "").decide(ApplicationState.NARROWED,
                new Narrowing(Map.of("visits", Set.of("district")), 30, "", 0, 0).apply(asked), "less", "Li Na",
                "2026-11-30T01:00:00Z", "2026-12-30");
        ApplicationStore store = ApplicationStore.open(dir);
        store.put(pending);
        store.put(narrowed);

        ApplicationStore reopened = ApplicationStore.open(dir);

        assertThat(reopened.list()).containsExactly(pending, narrowed);
        assertThat(reopened.get("app-2").orElseThrow().granted().grants()).isEqualTo(Map.of("visits", Set.of("district")));
    }
}
