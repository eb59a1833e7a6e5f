package dev.messenger.platform.grpc;

import dev.messenger.platform.service.Platform;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

import java.util.Set;

/** Binds a service implementation with the interceptors every service needs, in the order they must run. */
public final class GrpcServices {
    private GrpcServices() {
    }

    /**
     * @param publicMethods full method names that need no token (e.g. {@code messenger.v1.UsersService/Login})
     */
    public static ServerServiceDefinition bind(BindableService service, Platform platform, Set<String> publicMethods) {
        return ServerInterceptors.intercept(service, new AuthInterceptor(platform.sessions(), platform.trustedProxies(), publicMethods));
    }
}
