/**
 * Where the sandbox's metadata lives: {@link org.datasandbox.core.metadata.MetadataStore}, with the embedded
 * files under the data directory (the default, {@link org.datasandbox.core.metadata.FileMetadataStore}) or a
 * PostgreSQL database by JDBC URL ({@link org.datasandbox.core.metadata.PostgresMetadataStore}) that several
 * servers share. The metadata is the catalog of datasets, the applied table policies and scenarios, job ids and
 * the privacy budgets; the encrypted table data, the keys and the evidence ledger stay on the data directory.
 * The database store creates and migrates its own schema on start (versioned, idempotent, one server at a time
 * under an advisory lock), spends budgets under a row lock in one transaction, and retries a transaction that
 * PostgreSQL aborts as a serialization failure or deadlock. Nothing stored is a data value: names, policy
 * documents, figures and references only.
 */
package org.datasandbox.core.metadata;
