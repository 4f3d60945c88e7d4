/**
 * Batch evaluation of queries against a policy folder and CSV originals, through the same path as the
 * server (registration, encryption, guard, Spark, release), in one Spark session: for policy authors,
 * CI of data products, and the guard's own corpus tests.
 */
package org.datasandbox.core.batch;
