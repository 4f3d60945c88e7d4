/**
 * Tests against a real Spark standalone cluster started by the test (a Master and Workers as separate JVMs on
 * 127.0.0.1): the demo's flow compared with local mode, and what the cluster leaves on its workers' disks.
 * Tagged {@code cluster}: they run in their own Surefire execution in the {@code integration-test} phase.
 */
package org.datasandbox.api.cluster;
