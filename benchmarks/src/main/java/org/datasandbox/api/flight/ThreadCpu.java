package org.datasandbox.api.flight;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by thread group (a thread's name without its numbers: the Flight server's pump threads, gRPC's Netty
 * event loops, the client's executor, main), so a harness can say where a stream's CPU went; threads that end
 * between two snapshots are not counted.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU each group of live threads has used so far. */
    static Map<String, Long> snapshot() {
        Map<String, Long> groups = new TreeMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                groups.merge(info.getThreadName().replaceAll("[-#]?\\d+", ""), cpu, Long::sum);
            }
        }
        return groups;
    }

    /** Adds to {@code total} what each group used between {@code before} and {@code after}. */
    static void addDifference(Map<String, Long> before, Map<String, Long> after, Map<String, Long> total) {
        after.forEach((group, cpu) -> total.merge(group, cpu - before.getOrDefault(group, 0L), Long::sum));
    }

    /** The groups that used at least 1% of the total, in CPU seconds per run, largest first. */
    static String perRun(Map<String, Long> total, int runs) {
        long sum = total.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        total.entrySet().stream().filter(e -> e.getValue() * 100 >= sum)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "%s %.3f s, ", e.getKey(), e.getValue() / 1e9 / runs)));
        return out.length() == 0 ? "-" : out.substring(0, out.length() - 2);
    }
}
