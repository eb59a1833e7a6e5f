package dev.messenger.platform.grpc;

import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.util.Set;

/**
 * Resolves the bearer token of every call (except the methods listed as public) to its {@link Caller}
 * and makes it available to the handler through {@link #caller()}; rejects the call otherwise.
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Caller> CALLER = Context.key("messenger-caller");

    private final Sessions sessions;
    private final Set<String> publicMethods;

    /** @param publicMethods full method names (service/method) that need no token */
    public AuthInterceptor(Sessions sessions, Set<String> publicMethods) {
        this.sessions = sessions;
        this.publicMethods = Set.copyOf(publicMethods);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (publicMethods.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = sessions.authenticate(headers.get(AUTHORIZATION));
        } catch (RuntimeException e) {
            ApiException failure = Failures.toApiException(e, "authenticate " + call.getMethodDescriptor().getFullMethodName());
            call.close(GrpcCalls.status(failure), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    /** The caller of the call being handled; only valid inside a handler of an authenticated method. */
    public static Caller caller() {
        Caller caller = CALLER.get();
        if (caller == null) {
            throw new IllegalStateException("No authenticated caller: the method is public or the interceptor is not bound");
        }
        return caller;
    }
}
