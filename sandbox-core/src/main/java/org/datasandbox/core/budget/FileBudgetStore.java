package org.datasandbox.core.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.datasandbox.dp.accounting.BudgetAccount;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.Receipt;

/**
 * The lifetime budgets of a data directory, one JSON file per scenario and table
 * ({@code <dir>/<scenario>/<table>.json}). A spend locks the table (in this JVM and across processes),
 * reads the account from disk, applies the charge by the rule of {@link BudgetAccount#spend}, and
 * writes it back atomically and durably before returning the receipt: after a crash the charge is either
 * fully recorded or was never granted, and a restarted server sees every charge it granted.
 */
public final class FileBudgetStore implements BudgetStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Clock clock;
    private final KeyLocks locks = KeyLocks.SHARED;

    private FileBudgetStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Opens (creating) the budget directory. */
    public static FileBudgetStore open(Path dir, Clock clock) throws IOException {
        Files.createDirectories(Objects.requireNonNull(dir, "dir"));
        return new FileBudgetStore(dir, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public void define(BudgetKey key, LifetimeBudget lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        locked(key, () -> {
            BudgetAccount account = read(key);
            write(account == null ? BudgetAccount.open(key, lifetime) : account.withLifetime(lifetime));
            return null;
        });
    }

    @Override
    public Receipt spend(BudgetKey key, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        return locked(key, () -> {
            BudgetAccount after = existing(key).spend(charge, clock.instant());
            write(after);
            return after.lastReceipt();
        });
    }

    /**
     * Locks every account's file in one fixed order (sorted by scenario and table, so that two multi-account
     * charges cannot deadlock), reads them all, checks that each pays, and only then writes each. Another process
     * on the same directory takes the same OS locks, so no charge comes between. A crash between two writes
     * leaves the first account charged and the second not: more spent than released, never less.
     */
    @Override
    public List<Receipt> spendAllOnce(List<BudgetKey> keys, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        List<BudgetKey> ordered = keys.stream().distinct().sorted(java.util.Comparator.comparing(BudgetKey::scenario)
                .thenComparing(BudgetKey::table)).toList();
        return lockedAll(ordered, 0, () -> {
            java.util.Map<BudgetKey, BudgetAccount> after = new java.util.LinkedHashMap<>();
            for (BudgetKey key : keys) {
                BudgetAccount account = existing(key);
                if (!after.containsKey(key) && account.receipts().stream()
                        .noneMatch(r -> r.charge().reference().equals(charge.reference()))) {
                    after.put(key, account.spend(charge, clock.instant()));
                }
            }
            for (BudgetAccount account : after.values()) {
                write(account);
            }
            return after.values().stream().map(BudgetAccount::lastReceipt).toList();
        });
    }

    /** The body under the locks of {@code keys[from..]}, taken in their order. */
    private <T> T lockedAll(List<BudgetKey> keys, int from, KeyLocks.Body<T> body) {
        if (from == keys.size()) {
            try {
                return body.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // mapped to STORAGE by the outer lock
            }
        }
        return locked(keys.get(from), () -> lockedAll(keys, from + 1, body));
    }

    @Override
    public BudgetStatus remaining(BudgetKey key) {
        return locked(key, () -> existing(key).status());
    }

    @Override
    public List<Receipt> receipts(BudgetKey key) {
        return locked(key, () -> existing(key).receipts());
    }

    private BudgetAccount existing(BudgetKey key) throws IOException {
        BudgetAccount account = read(key);
        if (account == null) {
            throw BudgetException.undefined(key);
        }
        return account;
    }

    private Path file(BudgetKey key) {
        return dir.resolve(key.scenario()).resolve(key.table() + ".json");
    }

    private BudgetAccount read(BudgetKey key) throws IOException {
        Path file = file(key);
        if (!Files.exists(file)) {
            return null;
        }
        BudgetAccount account = JSON.readValue(file.toFile(), AccountFile.class).toAccount();
        if (!account.key().equals(key)) {
            throw new IOException("budget file of " + key + " names another table");
        }
        return account;
    }

    private void write(BudgetAccount account) throws IOException {
        AtomicFiles.write(file(account.key()), JSON.writeValueAsBytes(AccountFile.of(account)));
    }

    private <T> T locked(BudgetKey key, KeyLocks.Body<T> body) {
        Objects.requireNonNull(key, "key");
        try {
            Files.createDirectories(dir.resolve(key.scenario()));
            return locks.withLock(dir.resolve(key.scenario()).resolve(key.table() + ".lock"), body);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BudgetException budget) {
                throw budget;
            }
            if (e instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            // the cause may name paths; the caller gets a fixed text and nothing is released
            throw new BudgetException(BudgetException.Reason.STORAGE, "the privacy budget of " + key
                    + " could not be read or recorded; nothing was spent or released");
        }
    }
}
