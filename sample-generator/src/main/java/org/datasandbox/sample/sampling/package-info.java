/**
 * Sampling originals by privacy unit (keyed per scenario, linked tables together), masking the sample with
 * Spark UDFs built from masking policies, and k-anonymity with l-diversity over the attacker-known columns
 * by generalization before suppression.
 */
package org.datasandbox.sample.sampling;
