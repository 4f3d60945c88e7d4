/**
 * Encryption at rest. Every dataset the sandbox stores (originals, samples, unreleased results) is
 * Parquet with Parquet modular encryption; the column and footer keys Parquet generates are wrapped by
 * that dataset's own key through {@link org.datasandbox.core.storage.SandboxKmsClient}, and dataset keys
 * are sealed by the sandbox master key in the {@link org.datasandbox.core.storage.KeyVault}.
 */
package org.datasandbox.core.storage;
