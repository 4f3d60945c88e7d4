/**
 * Single-use DP aggregations after Google's: {@code BoundedCount}, {@code BoundedSum}, {@code BoundedMean},
 * {@code BoundedQuantiles} and the histogram, each configured by a builder, clamping to bounds and
 * bounding contributions per unit, and returning a {@link org.datasandbox.dp.aggregation.DpResult} (value,
 * mechanism, loss, interval) once; and thresholded partition selection for keys that come from the data.
 */
package org.datasandbox.dp.aggregation;
