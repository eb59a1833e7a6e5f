package dev.messenger.users;

import dev.messenger.api.v1.ChangePasswordRequest;
import dev.messenger.api.v1.ChangePasswordResponse;
import dev.messenger.api.v1.DeleteAccountRequest;
import dev.messenger.api.v1.DeleteAccountResponse;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.GetUserResponse;
import dev.messenger.api.v1.ListSessionsRequest;
import dev.messenger.api.v1.ListSessionsResponse;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.LogoutRequest;
import dev.messenger.api.v1.LogoutResponse;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.RegisterResponse;
import dev.messenger.api.v1.RevokeOtherSessionsRequest;
import dev.messenger.api.v1.RevokeOtherSessionsResponse;
import dev.messenger.api.v1.RevokeSessionRequest;
import dev.messenger.api.v1.RevokeSessionResponse;
import dev.messenger.api.v1.SearchUsersRequest;
import dev.messenger.api.v1.SearchUsersResponse;
import dev.messenger.api.v1.UpdateProfileRequest;
import dev.messenger.api.v1.UpdateProfileResponse;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.platform.grpc.AuthInterceptor;
import dev.messenger.platform.grpc.GrpcCalls;
import dev.messenger.platform.service.Ids;
import dev.messenger.platform.service.ProtoTime;
import io.grpc.stub.StreamObserver;

import java.util.Set;

/** The gRPC front door of {@link UserService}. */
final class UsersGrpcService extends UsersServiceGrpc.UsersServiceImplBase {
    static final Set<String> PUBLIC_METHODS = Set.of(
            UsersServiceGrpc.getRegisterMethod().getFullMethodName(),
            UsersServiceGrpc.getLoginMethod().getFullMethodName());

    private final UserService users;

    UsersGrpcService(UserService users) {
        this.users = users;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> responses) {
        GrpcCalls.unary(responses, "Register", () -> RegisterResponse.newBuilder()
                .setUser(UserProtos.user(users.register(AuthInterceptor.clientAddress(), request.getUsername(), request.getDisplayName(), request.getPassword())))
                .build());
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> responses) {
        GrpcCalls.unary(responses, "Login", () -> loginResponse(users.login(AuthInterceptor.clientAddress(), request.getUsername(), request.getPassword(),
                request.getDeviceName())));
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> responses) {
        GrpcCalls.unary(responses, "Logout", () -> {
            users.logout(AuthInterceptor.caller(), AuthInterceptor.clientAddress());
            return LogoutResponse.getDefaultInstance();
        });
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> responses) {
        GrpcCalls.unary(responses, "GetUser", () -> {
            var id = request.getId().isEmpty() ? AuthInterceptor.caller().userId() : Ids.uuid(request.getId(), "id");
            return GetUserResponse.newBuilder().setUser(UserProtos.user(users.get(id))).build();
        });
    }

    @Override
    public void searchUsers(SearchUsersRequest request, StreamObserver<SearchUsersResponse> responses) {
        GrpcCalls.unary(responses, "SearchUsers", () -> searchResponse(
                users.search(AuthInterceptor.caller(), AuthInterceptor.clientAddress(), request.getQuery(), request.getLimit(), request.getPageToken())));
    }

    @Override
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> responses) {
        GrpcCalls.unary(responses, "ListSessions", () -> {
            var caller = AuthInterceptor.caller();
            return UserProtos.sessions(users.sessions(caller), caller);
        });
    }

    @Override
    public void revokeSession(RevokeSessionRequest request, StreamObserver<RevokeSessionResponse> responses) {
        GrpcCalls.unary(responses, "RevokeSession", () -> {
            users.revokeSession(AuthInterceptor.caller(), AuthInterceptor.clientAddress(), Ids.uuid(request.getSessionId(), "sessionId"));
            return RevokeSessionResponse.getDefaultInstance();
        });
    }

    @Override
    public void revokeOtherSessions(RevokeOtherSessionsRequest request, StreamObserver<RevokeOtherSessionsResponse> responses) {
        GrpcCalls.unary(responses, "RevokeOtherSessions", () -> RevokeOtherSessionsResponse.newBuilder()
                .setRevoked(users.revokeOtherSessions(AuthInterceptor.caller(), AuthInterceptor.clientAddress()))
                .build());
    }

    @Override
    public void changePassword(ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> responses) {
        GrpcCalls.unary(responses, "ChangePassword", () -> ChangePasswordResponse.newBuilder()
                .setRevoked(users.changePassword(AuthInterceptor.caller(), AuthInterceptor.clientAddress(),
                        request.getCurrentPassword(), request.getNewPassword()))
                .build());
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<UpdateProfileResponse> responses) {
        GrpcCalls.unary(responses, "UpdateProfile", () -> UpdateProfileResponse.newBuilder()
                .setUser(UserProtos.user(users.updateProfile(AuthInterceptor.caller(), request.getDisplayName())))
                .build());
    }

    @Override
    public void deleteAccount(DeleteAccountRequest request, StreamObserver<DeleteAccountResponse> responses) {
        GrpcCalls.unary(responses, "DeleteAccount", () -> {
            users.deleteAccount(AuthInterceptor.caller(), AuthInterceptor.clientAddress(), request.getPassword());
            return DeleteAccountResponse.getDefaultInstance();
        });
    }

    static LoginResponse loginResponse(UserService.LoggedIn loggedIn) {
        return LoginResponse.newBuilder()
                .setToken(loggedIn.token().token())
                .setExpiresAt(ProtoTime.of(loggedIn.token().expiresAt()))
                .setUser(UserProtos.user(loggedIn.user()))
                .build();
    }

    static SearchUsersResponse searchResponse(UserService.SearchPage page) {
        var response = SearchUsersResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.users().forEach(user -> response.addUsers(UserProtos.user(user)));
        return response.build();
    }
}
