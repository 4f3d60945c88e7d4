/**
 * Differential privacy for the sandbox: noise mechanisms, DP aggregations, contribution bounding,
 * partition selection and budget accounting.
 *
 * <p>Google's differential-privacy Java library is not served by the project's package registry, so this
 * module will implement the same published algorithms (secure discrete Laplace and Gaussian noise with
 * granularity snapping, contribution bounding, thresholded partition selection). Nothing is implemented
 * yet: the first mechanism arrives with the synthetic-sample work, and DP output mode with the DP issue.
 */
package org.datasandbox.dp;
