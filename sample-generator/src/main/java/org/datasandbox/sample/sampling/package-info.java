/** Sampling originals by privacy unit and masking the sample with Spark UDFs built from masking policies. */
package org.datasandbox.sample.sampling;
