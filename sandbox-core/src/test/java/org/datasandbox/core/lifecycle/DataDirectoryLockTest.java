package org.datasandbox.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void acquire_directoryFree_holdsUntilClosed() throws Exception {
        DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        assertThat(lock.held()).isTrue();
        lock.close();
        assertThat(lock.held()).isFalse();
        lock.close(); // twice: nothing happens
    }

    @Test
    void acquire_heldInThisProcess_refusedNamingTheDirectoryOnly() throws Exception {
        Files.writeString(dir.resolve("secret-table.csv"), "name\nAlice\n");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageNotContaining("secret-table").hasMessageNotContaining("Alice");
            assertThat(first.held()).isTrue();
        }
    }

    @Test
    void acquire_afterClose_succeeds() throws Exception {
        DataDirectoryLock.acquire(dir).close();
        try (DataDirectoryLock again = DataDirectoryLock.acquire(dir)) {
            assertThat(again.held()).isTrue();
        }
    }

    @Test
    void acquire_holderProcessKilled_lockLeftBehindDoesNotBlock() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo(LockHolder.READY);
            // held by another process: refused here
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir)).isInstanceOf(DataDirectoryInUseException.class);
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dir.resolve(DataDirectoryLock.FILE)).exists(); // the file stays; the lock went with the process
        try (DataDirectoryLock after = DataDirectoryLock.acquire(dir)) {
            assertThat(after.held()).isTrue();
        }
    }
}
