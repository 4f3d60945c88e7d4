/** Noise mechanisms on integers, exact and free of floating-point arithmetic. */
package org.datasandbox.dp.noise;
