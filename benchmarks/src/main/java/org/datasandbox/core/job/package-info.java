/** Load tests of the job service: many developers, one greedy, over the real TLS server on loopback. */
package org.datasandbox.core.job;
