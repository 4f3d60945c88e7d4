/** The {@code sandbox} command line (picocli): server, demo, audit verify, demo data generation. */
package org.datasandbox.api.cli;
