/**
 * Privacy accounting: what a release spends ({@link org.datasandbox.dp.accounting.PrivacyLoss}), how
 * spends compose (zCDP and basic composition, the better counting), the lifetime budget of a scenario's
 * table with its store interface ({@link org.datasandbox.dp.accounting.BudgetStore}; a file-backed one
 * lives in sandbox-core), and the cache of released answers that makes repeats free.
 */
package org.datasandbox.dp.accounting;
