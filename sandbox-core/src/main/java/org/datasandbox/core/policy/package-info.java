/**
 * Policies as admins write them: a YAML file per table (column roles, bounds, buckets, masking, join
 * keys, output rule) and a YAML file per scenario (granted tables and columns, developers, output rule).
 * One pipeline reads them: {@link org.datasandbox.core.policy.PolicyParser} parses (YAML to the file
 * model, with Jackson's locations), {@link org.datasandbox.core.policy.PolicyValidator} checks every rule
 * in one place (masks against the column type, without a key) and refuses with the line, column and
 * fix; {@link org.datasandbox.core.policy.PolicyDrafts} writes the profiler's typed proposals back
 * through the same model;
 * {@link org.datasandbox.core.policy.PolicyStore} keeps every applied version; {@link
 * org.datasandbox.core.policy.SandboxGuardCatalog} presents the current ones to the query guard.
 */
package org.datasandbox.core.policy;
