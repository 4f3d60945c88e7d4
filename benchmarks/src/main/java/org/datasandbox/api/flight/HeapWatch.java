package org.datasandbox.api.flight;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Samples used heap and the Flight server's off-heap memory while a stream or a job runs (the Flight harnesses). */
final class HeapWatch {
    final AtomicLong peakHeap = new AtomicLong();
    final AtomicLong peakOffHeap = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    static HeapWatch start(FlightResultServer server) {
        HeapWatch watch = new HeapWatch();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        watch.thread = new Thread(() -> {
            while (watch.running.get()) {
                watch.peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                watch.peakOffHeap.accumulateAndGet(server.allocatedBytes(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        watch.thread.setDaemon(true);
        watch.thread.start();
        return watch;
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
