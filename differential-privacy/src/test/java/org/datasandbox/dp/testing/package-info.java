/** Test doubles and the stochastic DP tester shared by the module's tests. */
package org.datasandbox.dp.testing;
