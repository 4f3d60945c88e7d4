package org.datasandbox.masking.function;

import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.LocalDate;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.datasandbox.bench.BenchmarkBase;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Masking throughput over one column of 10,000 values, each function next to its baseline in the same
 * run: a plain copy of the column (a new string per value, or a boxed copy for numbers), a bare
 * {@code Mac.doFinal} loop for HMAC pseudonyms, a bare Bouncy Castle FF1 loop for FF1. Scores are values
 * per millisecond; read the ratios.
 */
@State(Scope.Benchmark)
public class MaskingBenchmark extends BenchmarkBase {
    private static final int ROWS = 10_000;
    private static final byte[] KEY = "benchmark-key-16".getBytes(StandardCharsets.US_ASCII);

    private String[] phones;
    private String[] idCards;
    private String[] names;
    private Integer[] ages;
    private LocalDate[] dates;
    private final Object[] out = new Object[ROWS];
    private final MaskingFunction mobile = new MobileMask();
    private final MaskingFunction residentId = new ResidentIdMask(ResidentIdMask.Keep.REGION);
    private final MaskingFunction name = new ChineseNameMask();
    private final MaskingFunction band = new NumberBand(10);
    private final MaskingFunction truncate = new DateTruncate(DateTruncate.Unit.YEAR);
    private final MaskingFunction pseudonym = new KeyedPseudonym(KEY, KeyedPseudonym.Algorithm.SM3, "p_");
    private final MaskingFunction ff1 = new Ff1Mask(KEY, KeyedPseudonym.Algorithm.SM3, 3, "");
    private Mac bareMac;
    private FPEFF1Engine bareFf1;

    @Setup
    public void generate() throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        phones = new String[ROWS];
        idCards = new String[ROWS];
        names = new String[ROWS];
        ages = new Integer[ROWS];
        dates = new LocalDate[ROWS];
        String given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超";
        // One column at a time, so that each column's values lie together in memory as in a columnar batch.
        // Built row by row, the columns interleaved, which slowed the validating ID mask by a quarter while
        // the copy did not move.
        for (int i = 0; i < ROWS; i++) {
            dates[i] = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(25_000));
        }
        for (int i = 0; i < ROWS; i++) {
            idCards[i] = ResidentIdNumber.of("420106", dates[i], random.nextInt(1000));
        }
        for (int i = 0; i < ROWS; i++) {
            phones[i] = "138" + String.format("%08d", random.nextInt(100_000_000));
        }
        for (int i = 0; i < ROWS; i++) {
            names[i] = "王" + given.charAt(random.nextInt(given.length())) + given.charAt(random.nextInt(given.length()));
        }
        for (int i = 0; i < ROWS; i++) {
            ages[i] = random.nextInt(100);
        }
        Security.addProvider(new BouncyCastleProvider());
        bareMac = Mac.getInstance("HMACSM3", BouncyCastleProvider.PROVIDER_NAME);
        bareMac.init(new SecretKeySpec(KEY, "HMACSM3"));
        bareFf1 = new FPEFF1Engine(new SM4Engine());
        bareFf1.init(true, new FPEParameters(new KeyParameter(KEY), 10, new byte[0]));
    }

    // ---- string masks against a copy ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] copyPhones() {
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
    public Object[] copyIdCards() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = new String(idCards[i].toCharArray());
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
    public Object[] copyNames() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = new String(names[i].toCharArray());
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] chineseNameMask() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = name.mask(names[i]);
        }
        return out;
    }

    // ---- generalization against a copy of the same values ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] copyNumbers() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = Integer.valueOf(ages[i] + 1000); // a fresh box, outside the small-integer cache
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
    public Object[] copyDates() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = LocalDate.ofEpochDay(dates[i].toEpochDay());
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] dateTruncate() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = truncate.mask(dates[i]);
        }
        return out;
    }

    // ---- HMAC pseudonyms against a bare Mac.doFinal loop ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] bareMacDoFinal() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = bareMac.doFinal(idCards[i].getBytes(StandardCharsets.UTF_8));
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

    // ---- FF1 against a bare Bouncy Castle FF1 loop ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] bareBouncyCastleFf1() {
        byte[] plain = new byte[8];
        for (int i = 0; i < ROWS; i++) {
            String phone = phones[i];
            for (int j = 0; j < 8; j++) {
                plain[j] = (byte) (phone.charAt(3 + j) - '0');
            }
            byte[] cipher = new byte[8];
            bareFf1.processBlock(plain, 0, 8, cipher, 0);
            out[i] = cipher;
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object[] ff1Mask() {
        for (int i = 0; i < ROWS; i++) {
            out[i] = ff1.mask(phones[i]);
        }
        return out;
    }
}
