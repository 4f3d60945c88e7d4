/**
 * Calibration of the noise to a privacy target, with the privacy of the distributions actually sampled:
 * the analytic Gaussian (Balle and Wang 2018), the discrete Gaussian's exact delta and zCDP (Canonne,
 * Kamath and Steinke 2020), and the normal tail they rest on.
 */
package org.datasandbox.dp.calibration;
