/**
 * Spark inside the sandbox: one session over the originals and one over the masked samples, sharing a
 * SparkContext (local by default, any master URL for a cluster), plus progress reporting for jobs.
 */
package org.datasandbox.core.engine;
