/**
 * Jobs on originals: submitted SQL is checked by the query guard, queued per developer and dispatched in
 * turn ({@code FairQueue}), executed on Spark as the guard's rewritten SQL only (in the developer's
 * fair-scheduler pool), and its output released with a signed receipt. Each job's state is journaled in
 * the data directory ({@code JobJournal}, only what the ledger holds) so that a restart closes interrupted
 * jobs with a recorded outcome and keeps released results ({@code JobRecovery}). Jobs can be cancelled by
 * their owner or an admin. Failures on originals are reported with a fixed code and an error reference;
 * the cause stays inside.
 */
package org.datasandbox.core.job;
