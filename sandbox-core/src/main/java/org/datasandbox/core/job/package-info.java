/**
 * Jobs on originals: submitted SQL is checked by the query guard, queued, executed on Spark as the
 * guard's rewritten SQL only, and its output released with a signed receipt. Failures on originals are
 * reported with a fixed code and an error reference; the cause stays inside.
 */
package org.datasandbox.core.job;
