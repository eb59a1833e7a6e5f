package dev.messenger.desktop.connection;

import dev.messenger.client.UntrustedCertificateException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Date;
import java.util.Optional;

/** Server errors in plain words for the person at the keyboard. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static String describe(Throwable failure, String serverAddress) {
        Optional<UntrustedCertificateException> untrusted = UntrustedCertificateException.findIn(failure);
        if (untrusted.isPresent()) {
            return describe(untrusted.get());
        }
        if (failure instanceof IllegalArgumentException invalid) {
            return invalid.getMessage();
        }
        if (!(failure instanceof StatusRuntimeException grpc)) {
            return "Something went wrong: " + failure.getMessage();
        }
        Status status = grpc.getStatus();
        String description = status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> causedBy(failure, NotSslRecordException.class)
                    ? "The server at " + serverAddress + " does not answer with encryption (TLS). If it is a test server"
                    + " on a network you trust, connect with http:// and the unencrypted choice."
                    : causedBy(failure, SSLException.class)
                    ? "No secure connection could be made to " + serverAddress + ": " + rootMessage(failure)
                    : "Can't reach the server at " + serverAddress + ". Check the address and that the server is running.";
            case DEADLINE_EXCEEDED -> "The server at " + serverAddress + " took too long to answer. Try again.";
            case INVALID_ARGUMENT, UNAUTHENTICATED, ALREADY_EXISTS, NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED ->
                    description == null || description.isBlank() ? status.getCode().name() : description;
            default -> "The server had a problem (" + status.getCode() + "). Try again.";
        };
    }

    /** A refused certificate in plain words, with the fingerprint for the cases a person can judge. */
    static String describe(UntrustedCertificateException refused) {
        X509Certificate certificate = refused.certificate();
        String host = refused.host().isEmpty() ? "the server" : refused.host();
        return switch (refused.reason()) {
            case EXPIRED -> "The certificate of " + host + " expired on " + date(certificate.getNotAfter())
                    + ". Its administrator has to renew it; until then the connection would not be safe.";
            case NOT_YET_VALID -> "The certificate of " + host + " is valid only from " + date(certificate.getNotBefore())
                    + ". Check that this computer's date and time are right.";
            case WRONG_HOST -> "The certificate of " + host + " is for " + String.join(", ", refused.names())
                    + ", not for " + host + ". Check the server address; someone may be in between.";
            case UNKNOWN_ISSUER -> "The certificate of " + host + " is not vouched for by any authority this computer"
                    + " trusts. If this is your own server, compare this fingerprint with the one its administrator gave"
                    + " you, then choose the server's certificate file.\nSHA-256 fingerprint:\n" + inTwoLines(refused.fingerprint());
        };
    }

    /** True when the certificate was refused because nothing vouches for it: choosing a file can help. */
    public static boolean isUnknownIssuer(Throwable failure) {
        return UntrustedCertificateException.findIn(failure)
                .filter(refused -> refused.reason() == UntrustedCertificateException.Reason.UNKNOWN_ISSUER)
                .isPresent();
    }

    /** The 32 bytes of a SHA-256 fingerprint as two rows of 16, which fit the sign-in card. */
    private static String inTwoLines(String fingerprint) {
        int middle = fingerprint.length() / 2;
        return fingerprint.charAt(middle) == ':'
                ? fingerprint.substring(0, middle) + "\n" + fingerprint.substring(middle + 1) : fingerprint;
    }

    private static String date(Date date) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).format(date.toInstant().atZone(ZoneId.systemDefault()));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Failures worth retrying with the same request: the call never reached the server or may not have. */
    public static boolean isRetryable(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException grpc)) {
            return false;
        }
        return switch (grpc.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED -> true;
            default -> false;
        };
    }

    public static boolean isSignedOut(Throwable failure) {
        return failure instanceof StatusRuntimeException grpc && grpc.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
    }
}
