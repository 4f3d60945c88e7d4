/**
 * Development samples, drawn inside the sandbox on Spark. {@code sampling}: masked samples of the
 * originals, selected by privacy unit so that linked tables stay joinable, then masked per policy.
 */
package org.datasandbox.sample;
