package org.datasandbox.masking.function;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.datasandbox.bench.BenchmarkBase;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Masking throughput over one column of 10,000 values against a plain copy of the same column, in the
 * same run: the ratio is the figure that matters. Scores are values per millisecond.
 */
@State(Scope.Benchmark)
public class MaskingBenchmark extends BenchmarkBase {
    private static final int ROWS = 10_000;

    private String[] phones;
    private String[] idCards;
    private Integer[] ages;
    private final Object[] out = new Object[ROWS];
    private final MaskingFunction mobile = new MobileMask();
    private final MaskingFunction residentId = new ResidentIdMask(ResidentIdMask.Keep.REGION);
    private final MaskingFunction band = new NumberBand(10);
    private final MaskingFunction pseudonym = new KeyedPseudonym(
            "benchmark-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII), KeyedPseudonym.Algorithm.SM3, "p_");

    @Setup
    public void generate() {
        SplittableRandom random = new SplittableRandom(1);
        phones = new String[ROWS];
        idCards = new String[ROWS];
        ages = new Integer[ROWS];
        for (int i = 0; i < ROWS; i++) {
            phones[i] = "138" + String.format("%08d", random.nextInt(100_000_000));
            idCards[i] = ResidentIdNumber.of("420106", LocalDate.of(1950, 1, 1).plusDays(random.nextInt(25_000)), random.nextInt(1000));
            ages[i] = random.nextInt(100);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] copyBaseline() {
        // The floor for any string mask: a new string with the same characters for every value.
        for (int i = 0; i < ROWS; i++) {
            out[i] = new String(phones[i].toCharArray());
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] mobilePartialMask() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = mobile.mask(phones[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] residentIdMask() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = residentId.mask(idCards[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] ageBand() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = band.mask(ages[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] hmacSm3Pseudonym() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = pseudonym.mask(idCards[i]);
        }
        return out;
    }
}
