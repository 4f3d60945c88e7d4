package org.datasandbox.core.sample;

/**
 * Where a scenario's secret keys come from: one key per scenario and key epoch, which pseudonymizes its masked
 * samples and keys the selection of people. Injected into {@link SampleService} (the house rule for keyed
 * randomness): production draws from the key vault ({@link VaultScenarioKeys}), a test passes a fixed source so
 * that a sample's content is one repeatable draw.
 */
@FunctionalInterface
public interface ScenarioKeySource {
    /**
     * The key of a scenario's key epoch (a fresh copy the caller may keep); an unavailable key is an
     * {@link IllegalStateException} that names neither the key nor its bytes.
     */
    byte[] key(String scenario, int epoch);
}
