/**
 * Development samples, drawn inside the sandbox on Spark. {@code sampling}: masked samples of the
 * originals, selected by privacy unit so that linked tables stay joinable, then masked per policy.
 * {@code synthetic}: rows drawn from a differentially private model of the originals. {@code report}:
 * what a sample keeps of the originals and what it risks. {@link org.datasandbox.sample.SampleColumn}
 * is what all three know of a column.
 */
package org.datasandbox.sample;
