package org.datasandbox.api.interceptor;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.datasandbox.core.identity.Identity;

/** A hand-written stand-in for the authentication interceptor on in-process servers, which have no TLS. */
public final class TestCallers {
    private TestCallers() {
    }

    /** Every call runs as this caller, as if its certificate had been checked. */
    public static ServerInterceptor as(Identity caller) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(CallerIdentity.KEY, caller), call, headers, next);
            }
        };
    }
}
