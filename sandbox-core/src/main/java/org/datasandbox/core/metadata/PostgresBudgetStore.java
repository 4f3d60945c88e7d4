package org.datasandbox.core.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.core.budget.AccountFile;
import org.datasandbox.dp.accounting.BudgetAccount;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;

/**
 * The lifetime budgets in the metadata database: an account row per scenario and table (the cap) and a row per
 * charge. A spend locks the account rows it touches ({@code SELECT ... FOR UPDATE}, in one fixed order so that two
 * multi-account charges cannot deadlock), replays the charges by the rule of {@link BudgetAccount#spend} and
 * inserts the new charge in the same transaction: two servers' spends on one account are serialized by the row
 * lock, so together they never exceed the cap, and a charge is either committed or was never granted. The totals
 * are recomputed from the charges, as in the file store, so no stored total can disagree with them.
 */
final class PostgresBudgetStore implements BudgetStore {
    private static final Comparator<BudgetKey> ORDER = Comparator.comparing(BudgetKey::scenario)
            .thenComparing(BudgetKey::table);

    private final Database database;
    private final Clock clock;

    PostgresBudgetStore(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void define(BudgetKey key, LifetimeBudget lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        call(key, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO budget_accounts VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (scenario, table_name) DO NOTHING")) {
                BudgetAccount.open(key, lifetime); // the same checks as the file store's
                bind(insert, key);
                insert.setDouble(3, lifetime.epsilon());
                insert.setDouble(4, lifetime.delta());
                insert.executeUpdate();
            }
            BudgetAccount account = lockAndRead(connection, key).withLifetime(lifetime);
            try (PreparedStatement update = connection.prepareStatement("UPDATE budget_accounts SET epsilon = ?, delta = ?"
                    + " WHERE scenario = ? AND table_name = ?")) {
                update.setDouble(1, account.lifetime().epsilon());
                update.setDouble(2, account.lifetime().delta());
                update.setString(3, key.scenario());
                update.setString(4, key.table());
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Receipt spend(BudgetKey key, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        return call(key, connection -> {
            BudgetAccount after = lockAndRead(connection, key).spend(charge, clock.instant());
            insert(connection, after.lastReceipt());
            return after.lastReceipt();
        });
    }

    @Override
    public List<Receipt> spendAllOnce(List<BudgetKey> keys, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        if (keys.isEmpty()) {
            return List.of();
        }
        return call(keys.get(0), connection -> {
            Map<BudgetKey, BudgetAccount> locked = new LinkedHashMap<>();
            for (BudgetKey key : keys.stream().distinct().sorted(ORDER).toList()) {
                locked.put(key, lockAndRead(connection, key));
            }
            Map<BudgetKey, BudgetAccount> after = new LinkedHashMap<>();
            for (BudgetKey key : keys) {
                BudgetAccount account = locked.get(key);
                if (!after.containsKey(key) && account.receipts().stream()
                        .noneMatch(r -> r.charge().reference().equals(charge.reference()))) {
                    after.put(key, account.spend(charge, clock.instant()));
                }
            }
            List<Receipt> receipts = new ArrayList<>();
            for (BudgetAccount account : after.values()) {
                insert(connection, account.lastReceipt());
                receipts.add(account.lastReceipt());
            }
            return receipts;
        });
    }

    @Override
    public BudgetStatus remaining(BudgetKey key) {
        return call(key, connection -> read(connection, key, false).status());
    }

    @Override
    public List<Receipt> receipts(BudgetKey key) {
        return call(key, connection -> read(connection, key, false).receipts());
    }

    private static BudgetAccount lockAndRead(Connection connection, BudgetKey key) throws SQLException {
        return read(connection, key, true);
    }

    /** The account as its rows say, its row locked until the transaction ends when {@code lock}. */
    private static BudgetAccount read(Connection connection, BudgetKey key, boolean lock) throws SQLException {
        double epsilon;
        double delta;
        try (PreparedStatement select = connection.prepareStatement("SELECT epsilon, delta FROM budget_accounts"
                + " WHERE scenario = ? AND table_name = ?" + (lock ? " FOR UPDATE" : ""))) {
            bind(select, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw BudgetException.undefined(key);
                }
                epsilon = row.getDouble(1);
                delta = row.getDouble(2);
            }
        }
        List<AccountFile.ChargeLine> lines = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT sequence, at, purpose, reference, epsilon,"
                + " delta, rho, zcdp_delta FROM budget_charges WHERE scenario = ? AND table_name = ? ORDER BY sequence")) {
            bind(select, key);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    lines.add(new AccountFile.ChargeLine(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getDouble(5), rows.getDouble(6), rows.getDouble(7), rows.getDouble(8)));
                }
            }
        }
        return new AccountFile(1, key.scenario(), key.table(), epsilon, delta, lines).toAccount();
    }

    private static void insert(Connection connection, Receipt receipt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO budget_charges VALUES (?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?)")) {
            bind(insert, receipt.key());
            PrivacyLoss loss = receipt.charge().loss();
            insert.setLong(3, receipt.sequence());
            insert.setString(4, receipt.at().toString());
            insert.setString(5, receipt.charge().purpose().name());
            insert.setString(6, receipt.charge().reference());
            insert.setDouble(7, loss.epsilon());
            insert.setDouble(8, loss.delta());
            insert.setDouble(9, loss.rho());
            insert.setDouble(10, loss.zcdpDelta());
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, BudgetKey key) throws SQLException {
        statement.setString(1, key.scenario());
        statement.setString(2, key.table());
    }

    private <T> T call(BudgetKey key, Database.Work<T> work) {
        Objects.requireNonNull(key, "key");
        try {
            return database.transaction(work);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof BudgetException budget) {
                throw budget;
            }
            if (e instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            // the cause may name the server; the caller gets a fixed text and nothing is released
            throw new BudgetException(BudgetException.Reason.STORAGE, "the privacy budget of " + key
                    + " could not be read or recorded; nothing was spent or released");
        }
    }
}
