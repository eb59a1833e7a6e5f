package dev.messenger.platform.grpc;

import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.TrustedProxies;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.util.Set;
import java.util.logging.Logger;

/**
 * Works out who is calling: the {@link ClientAddress} of every call, and the {@link Caller} behind
 * the bearer token of every call except the methods listed as public (rejected without a valid
 * token). Handlers read them through {@link #caller()} and {@link #clientAddress()}.
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(AuthInterceptor.class.getName());
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Caller> CALLER = Context.key("messenger-caller");
    private static final Context.Key<ClientAddress> CLIENT_ADDRESS = Context.key("messenger-client-address");

    private final Sessions sessions;
    private final TrustedProxies proxies;
    private final Set<String> publicMethods;

    /** @param publicMethods full method names (service/method) that need no token */
    public AuthInterceptor(Sessions sessions, TrustedProxies proxies, Set<String> publicMethods) {
        this.sessions = sessions;
        this.proxies = proxies;
        this.publicMethods = Set.copyOf(publicMethods);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ClientAddress from = proxies.clientOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers.getAll(FORWARDED_FOR));
        String method = call.getMethodDescriptor().getFullMethodName();
        Context context = Context.current().withValue(CLIENT_ADDRESS, from);
        if (!publicMethods.contains(method)) {
            try {
                context = context.withValue(CALLER, sessions.authenticate(headers.get(AUTHORIZATION), from));
            } catch (RuntimeException e) {
                ApiException failure = Failures.toApiException(e, "authenticate " + method);
                LOG.fine(() -> "Refused " + method + " from " + from + ": " + failure.getMessage());
                call.close(GrpcCalls.status(failure), GrpcCalls.trailers(failure));
                return new ServerCall.Listener<>() {
                };
            }
        }
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The caller of the call being handled; only valid inside a handler of an authenticated method. */
    public static Caller caller() {
        Caller caller = CALLER.get();
        if (caller == null) {
            throw new IllegalStateException("No authenticated caller: the method is public or the interceptor is not bound");
        }
        return caller;
    }

    /** Where the call being handled comes from; valid inside the handler of any method of a bound service. */
    public static ClientAddress clientAddress() {
        ClientAddress from = CLIENT_ADDRESS.get();
        if (from == null) {
            throw new IllegalStateException("No client address: the interceptor is not bound");
        }
        return from;
    }
}
