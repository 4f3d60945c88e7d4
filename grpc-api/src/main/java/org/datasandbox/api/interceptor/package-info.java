/**
 * Cross-cutting call handling, in one place each: who the caller is (from the mutual-TLS certificate),
 * whether their role may call the method (deny by default), the ledger entry of every call, and the
 * mapping of exceptions to gRPC statuses, which never carries a cause, a stack trace or a data value.
 */
package org.datasandbox.api.interceptor;
