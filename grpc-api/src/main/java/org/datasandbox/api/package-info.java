/**
 * The gRPC face of the sandbox: thin services over {@link org.datasandbox.core.Sandbox} ({@code service}),
 * authentication, authorization and error mapping ({@code interceptor}), the TLS server bootstrap
 * ({@code server}), a client ({@code client}), the command line ({@code cli}) and the demo ({@code demo}).
 */
package org.datasandbox.api;
