package dev.messenger.client;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * What a client trusts: the system's certificate authorities, plus the certificates of a PEM file
 * the user chose for a self-hosted server (its own certificate, or the CA that issued it).
 * Certificates are still checked in full (dates, host name, chain): the file only adds trust anchors.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** The certificates of a PEM (or DER) file; a file without any is an error that says so. */
    public static Collection<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No certificate in " + file);
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read a certificate from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A trust manager for the system's authorities and the given certificates (possibly none) as
     * further anchors; the server's certificate must be within its dates even when it is one of
     * those anchors, and a refusal says why ({@link UntrustedCertificateException}).
     */
    public static X509TrustManager systemAnd(Collection<X509Certificate> extra) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate authority : systemDefault().getAcceptedIssuers()) {
                anchors.setCertificateEntry("system-" + n++, authority);
            }
            for (Certificate certificate : extra) {
                anchors.setCertificateEntry("chosen-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return new Explaining(x509(factory));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up the trusted certificates", e);
        }
    }

    /**
     * Checks as the JDK does, and says why a refused certificate was refused
     * ({@link UntrustedCertificateException}). Also checks the server's own certificate's dates:
     * Java does not check a trust anchor's, so a chosen self-signed certificate would otherwise be
     * accepted long after it expired.
     */
    private static final class Explaining extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        Explaining(X509TrustManager delegate) {
            this.delegate = (X509ExtendedTrustManager) delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            String host = socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
                    ? ssl.getHandshakeSession().getPeerHost() : "";
            check(chain, authType, host, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            String host = engine == null || engine.getPeerHost() == null ? "" : engine.getPeerHost();
            check(chain, authType, host, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, "", () -> delegate.checkServerTrusted(chain, authType));
        }

        /**
         * Runs the full check; when it fails, finds the reason by checking the parts one at a time:
         * dates, then the chain without the host name, so what is left is the host name.
         */
        private void check(X509Certificate[] chain, String authType, String host, Check full) throws CertificateException {
            X509Certificate leaf = chain[0];
            try {
                leaf.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new UntrustedCertificateException(UntrustedCertificateException.Reason.EXPIRED, leaf, host, e);
            } catch (CertificateNotYetValidException e) {
                throw new UntrustedCertificateException(UntrustedCertificateException.Reason.NOT_YET_VALID, leaf, host, e);
            }
            try {
                full.run();
            } catch (CertificateException refused) {
                try {
                    delegate.checkServerTrusted(chain, authType);
                } catch (CertificateException e) {
                    throw new UntrustedCertificateException(UntrustedCertificateException.Reason.UNKNOWN_ISSUER, leaf, host, refused);
                }
                throw new UntrustedCertificateException(UntrustedCertificateException.Reason.WRONG_HOST, leaf, host, refused);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private static X509TrustManager systemDefault() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return x509(factory);
    }

    private static X509TrustManager x509(TrustManagerFactory factory) {
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("No X.509 trust manager in " + factory.getAlgorithm());
    }
}
