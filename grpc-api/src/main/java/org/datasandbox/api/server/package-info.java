/** The server bootstrap: gRPC over Netty with mutual TLS, a bounded executor and a graceful shutdown. */
package org.datasandbox.api.server;
