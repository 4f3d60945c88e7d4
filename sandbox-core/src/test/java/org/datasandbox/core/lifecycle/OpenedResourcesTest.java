package org.datasandbox.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenedResourcesTest {
    private final List<String> closed = new ArrayList<>();

    private AutoCloseable resource(String name) {
        return () -> closed.add(name);
    }

    private AutoCloseable failing(String name) {
        return () -> {
            closed.add(name);
            throw new IOException(name + " did not close");
        };
    }

    @Test
    void closeAfter_openFailed_closesNewestFirstAndSuppressesTheirFailures() {
        OpenedResources opened = new OpenedResources();
        opened.add(resource("lock"));
        opened.add(failing("ledger"));
        opened.add(resource("vault"));
        opened.add(failing("metadata"));
        IllegalStateException refused = new IllegalStateException("spark refused");

        IllegalStateException thrown = opened.closeAfter(refused);

        assertThat(thrown).isSameAs(refused);
        assertThat(closed).containsExactly("metadata", "vault", "ledger", "lock");
        assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("metadata did not close", "ledger did not close");
    }

    @Test
    void close_oneFails_closesTheRestAndThrowsTheFirst() {
        OpenedResources opened = new OpenedResources();
        opened.add(resource("lock"));
        opened.add(failing("ledger"));
        opened.add(failing("jobs"));

        assertThatThrownBy(opened::close).hasCauseInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getCause()).hasMessage("jobs did not close"))
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(closed).containsExactly("jobs", "ledger", "lock");
    }

    @Test
    void close_twice_closesEachOnce() {
        OpenedResources opened = new OpenedResources();
        opened.add(resource("lock"));
        opened.close();
        opened.close();
        assertThat(closed).containsExactly("lock");
    }
}
