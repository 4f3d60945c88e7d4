package org.datasandbox.dp.accounting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What makes two releases the same: the scenario and the normalized rewritten query, which must include
 * every parameter of the release (epsilon, delta, mechanism, bounds). Held as a SHA-256 digest, so that a
 * cache on disk keeps no query text.
 */
public record AnswerKey(String scenario, String digest) {
    public AnswerKey {
        Objects.requireNonNull(scenario, "scenario");
        new BudgetKey(scenario, "t"); // the same identifier rule
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("digest must be a SHA-256 in lowercase hex");
        }
    }

    public static AnswerKey of(String scenario, String normalizedQuery) {
        Objects.requireNonNull(normalizedQuery, "normalizedQuery");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normalizedQuery.getBytes(StandardCharsets.UTF_8));
            return new AnswerKey(scenario, HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
