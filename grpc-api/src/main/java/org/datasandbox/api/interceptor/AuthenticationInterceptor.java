package org.datasandbox.api.interceptor;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Identity;

/**
 * Authenticates every call by its client certificate, authorizes it by the role the certificate carries
 * (deny by default) and records every call, allowed or not, in the evidence ledger with its status code.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
    private final Sandbox sandbox;

    public AuthenticationInterceptor(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<Identity> identity = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (identity.isEmpty()) {
            sandbox.recordUnauthenticatedCall(method);
            StatusMapping.close(call, new SandboxException(ErrorCode.UNAUTHENTICATED,
                    "A client certificate issued by this sandbox, naming a person and a role, is required",
                    Map.of("method", method)));
            return new ServerCall.Listener<>() {
            };
        }
        Identity caller = identity.get();
        if (!RpcPermissions.allows(method, caller.role())) {
            sandbox.recordCall(caller, method, Status.Code.PERMISSION_DENIED.name());
            StatusMapping.close(call, new SandboxException(ErrorCode.PERMISSION_DENIED, "Access denied: the role "
                    + caller.role().label() + " may not call " + call.getMethodDescriptor().getBareMethodName(),
                    Map.of("method", method, "role", caller.role().label())));
            return new ServerCall.Listener<>() {
            };
        }
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                sandbox.recordCall(caller, method, status.getCode().name());
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(CallerIdentity.KEY, caller), recorded, headers, next);
    }

    private Optional<Identity> identify(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return sandbox.authority().identityOf(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
