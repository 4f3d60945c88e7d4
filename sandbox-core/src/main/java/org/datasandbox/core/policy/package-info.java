/**
 * Policies as admins write them: a YAML file per table (column roles, bounds, buckets, masking, join
 * keys, output rule) and a YAML file per scenario (granted tables and columns, developers, output rule).
 * {@link org.datasandbox.core.policy.PolicyParser} refuses an invalid file with its line and reason;
 * {@link org.datasandbox.core.policy.PolicyStore} keeps every applied version; {@link
 * org.datasandbox.core.policy.SandboxGuardCatalog} presents the current ones to the query guard.
 */
package org.datasandbox.core.policy;
