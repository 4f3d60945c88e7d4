package org.datasandbox.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fixes forks, warm-up and JVM flags for every benchmark (the collector of the {@code sandbox} launcher
 * included, so that benchmarks run as the server does). Spark's opens are not repeated here: {@code
 * ./benchmarks/run} starts JMH with the one list ({@code spark.jvm.opens} in pom.xml) and JMH's forks
 * inherit the host JVM's arguments.
 */
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class BenchmarkBase {
}
