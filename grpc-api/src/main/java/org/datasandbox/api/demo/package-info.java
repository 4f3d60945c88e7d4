/** The end-to-end demo: every role in turn, over a real TLS connection to an embedded server. */
package org.datasandbox.api.demo;
