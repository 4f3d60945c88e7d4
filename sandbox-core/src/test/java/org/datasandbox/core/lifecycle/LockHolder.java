package org.datasandbox.core.lifecycle;

import java.nio.file.Path;

/**
 * The process {@link DataDirectoryLockTest} kills: takes a data directory's lock, says so, and waits to be killed
 * (no close, no shutdown).
 */
public final class LockHolder {
    static final String READY = "LOCKED";

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]));
        System.out.println(lock.held() ? READY : "NOT HELD");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
