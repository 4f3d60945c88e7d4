package org.datasandbox.dp.accounting;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** An answer cache for one process's life; pair it with an {@link InMemoryBudgetStore}, never with a persistent one. */
public final class InMemoryAnswerCache implements AnswerCache {
    private final Map<AnswerKey, String> answers = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(AnswerKey key) {
        return Optional.ofNullable(answers.get(Objects.requireNonNull(key, "key")));
    }

    @Override
    public String releaseOnce(AnswerKey key, Supplier<String> release) {
        Objects.requireNonNull(release, "release");
        return answers.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> Objects.requireNonNull(release.get(), "answer"));
    }
}
