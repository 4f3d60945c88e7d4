package org.datasandbox.guard;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link GuardBenchmark}'s shapes measured in thread CPU time instead of wall-clock time, for a loaded
 * machine: there JMH's samples measure time slicing (a warm {@code group_by} sampled from under 1 ms to
 * 16 ms), while the CPU time a thread spends on one query does not depend on how often it was descheduled.
 * The guard and Spark's parse and analysis of the same text alternate, query by query, over all shapes in
 * one JVM, so both see the same JIT state and the same machine. Not a JMH benchmark: run it with
 * {@code java -cp <benchmarks classpath> org.datasandbox.guard.GuardCpuTime [warm-up rounds] [rounds]}
 * (each round checks every shape once with each). Prints p50 and p99 in microseconds and the ratio of the p50s.
 */
public final class GuardCpuTime {
    private static final List<String> SHAPES = List.of("group_by", "derived", "join", "subquery", "cells", "rejected");

    private GuardCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1_500;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<GuardBenchmark> shapes = new ArrayList<>();
        for (String shape : SHAPES) {
            GuardBenchmark benchmark = new GuardBenchmark();
            benchmark.query = shape;
            benchmark.setUp();
            shapes.add(benchmark);
        }
        long[][] guard = new long[shapes.size()][rounds];
        long[][] spark = new long[shapes.size()][rounds];
        for (int round = -warmUp; round < rounds; round++) {
            for (int s = 0; s < shapes.size(); s++) {
                long start = threads.getCurrentThreadCpuTime();
                shapes.get(s).guardCheck();
                long between = threads.getCurrentThreadCpuTime();
                shapes.get(s).sparkParseAndAnalyze();
                long end = threads.getCurrentThreadCpuTime();
                if (round >= 0) {
                    guard[s][round] = between - start;
                    spark[s][round] = end - between;
                }
            }
        }
        System.out.println("| query | guard p50 | guard p99 | Spark p50 | Spark p99 | guard / Spark (p50) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int s = 0; s < shapes.size(); s++) {
            long g50 = percentile(guard[s], 50);
            long s50 = percentile(spark[s], 50);
            System.out.printf("| `%s` | %,d | %,d | %,d | %,d | %.2f |%n", SHAPES.get(s), g50 / 1000,
                    percentile(guard[s], 99) / 1000, s50 / 1000, percentile(spark[s], 99) / 1000, (double) g50 / s50);
        }
        shapes.get(0).tearDown();
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
