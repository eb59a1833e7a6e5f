package dev.messenger.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Why a server's certificate was refused, with what a person needs to judge it: the host asked
 * for, the names the certificate is for, its expiry and its SHA-256 fingerprint (to compare with
 * the one the server's administrator gives). Thrown by the trust manager of
 * {@link TrustedCertificates}; a failed call carries it in its chain of causes.
 */
public final class UntrustedCertificateException extends CertificateException {
    public enum Reason {
        /** The certificate's validity ended. */
        EXPIRED,
        /** The certificate's validity has not begun (often a wrong clock on one side). */
        NOT_YET_VALID,
        /** The certificate is valid, but for other names than the host connected to. */
        WRONG_HOST,
        /** Nothing this client trusts vouches for the certificate (self-signed, private CA, broken chain). */
        UNKNOWN_ISSUER
    }

    private final Reason reason;
    private final transient X509Certificate certificate;
    private final String host;

    UntrustedCertificateException(Reason reason, X509Certificate certificate, String host, Throwable cause) {
        super(reason + " certificate for " + host + " (" + certificate.getSubjectX500Principal() + ")", cause);
        this.reason = reason;
        this.certificate = certificate;
        this.host = host;
    }

    /** The first of these in a failure's chain of causes, if any. */
    public static Optional<UntrustedCertificateException> findIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UntrustedCertificateException untrusted) {
                return Optional.of(untrusted);
            }
        }
        return Optional.empty();
    }

    public Reason reason() {
        return reason;
    }

    /** The server's own certificate (the first of the chain it sent). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The host the client connected to; empty when the check had no connection to ask. */
    public String host() {
        return host;
    }

    /** The DNS names and IP addresses the certificate is for (its common name if it lists none). */
    public List<String> names() {
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null && !alternatives.isEmpty()) {
                return alternatives.stream()
                        .filter(entry -> entry.get(0) instanceof Integer type && (type == 2 || type == 7))
                        .map(entry -> String.valueOf(entry.get(1)))
                        .toList();
            }
        } catch (CertificateParsingException e) {
            // Fall back to the subject, as old clients did.
        }
        return List.of(certificate.getSubjectX500Principal().getName());
    }

    /** SHA-256 of the certificate, as pairs of hex digits joined by colons (what browsers and openssl show). */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } catch (CertificateEncodingException e) {
            return "unknown";
        }
    }
}
