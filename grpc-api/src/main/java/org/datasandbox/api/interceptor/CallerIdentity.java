package org.datasandbox.api.interceptor;

import io.grpc.Context;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Identity;

/** The authenticated caller of the current call, set by {@link AuthenticationInterceptor}. */
public final class CallerIdentity {
    static final Context.Key<Identity> KEY = Context.key("datasandbox-identity");

    private CallerIdentity() {
    }

    /** The caller; never absent inside a service, since unauthenticated calls never reach one. */
    public static Identity current() {
        Identity identity = KEY.get();
        if (identity == null) {
            throw SandboxException.accessDenied("no authenticated caller");
        }
        return identity;
    }
}
