package org.datasandbox.core.policy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * Reads a policy document: parse ({@link PolicyYaml}: YAML to the file model, with locations), then
 * validate ({@link PolicyValidator}: every rule, in one place), to a typed result. Every error is a
 * {@link PolicyException} with the line and column of what to fix.
 */
public final class PolicyParser {
    public static final String TABLE_KIND = "table-policy";
    public static final String SCENARIO_KIND = "scenario";
    private static final int MAX_POLICY_CHARS = 256 * 1024;

    private final CryptoProfile crypto;

    public PolicyParser(CryptoProfile crypto) {
        this.crypto = crypto;
    }

    /** A parsed policy document: exactly one of the two is present. */
    public record Parsed(Optional<TablePolicy> table, Optional<ScenarioPolicy> scenario) {
    }

    /** Whether a YAML text declares itself a policy, so that a folder may hold other YAML files. */
    public static boolean isPolicy(String text) {
        try {
            String kind = PolicyYaml.kind(text);
            return kind.equals(TABLE_KIND) || kind.equals(SCENARIO_KIND);
        } catch (PolicyException e) {
            return false;
        }
    }

    /** A policy checked on its own, as when no table is registered. */
    public Parsed parse(String text) throws PolicyException {
        return parse(text, PolicyValidator.RegisteredTables.NONE);
    }

    /** A policy checked on its own and against the tables registered so far. */
    public Parsed parse(String text, PolicyValidator.RegisteredTables registered) throws PolicyException {
        if (text == null || text.isBlank()) {
            throw new PolicyException(0, 0, "the policy is empty");
        }
        if (text.length() > MAX_POLICY_CHARS) {
            throw new PolicyException(0, 0, "the policy is larger than " + MAX_POLICY_CHARS + " characters");
        }
        String sha = HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
        PolicyValidator validator = new PolicyValidator(registered);
        String kind = PolicyYaml.kind(text);
        return switch (kind) {
            case TABLE_KIND -> new Parsed(Optional.of(validator.table(PolicyYaml.read(text, PolicyFile.Table.class), sha)),
                    Optional.empty());
            case SCENARIO_KIND -> new Parsed(Optional.empty(),
                    Optional.of(validator.scenario(PolicyYaml.read(text, PolicyFile.Scenario.class), sha)));
            default -> throw new PolicyException(1, 1, "kind must be " + TABLE_KIND + " or " + SCENARIO_KIND
                    + (kind.isEmpty() ? ", and it is missing" : ", not '" + kind + "'") + ": write kind: " + TABLE_KIND + " first");
        };
    }
}
