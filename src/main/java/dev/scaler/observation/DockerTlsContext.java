package dev.scaler.observation;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * The TLS context Scaler gives docker-java's Apache transport, for two reasons (issue 11).
 *
 * <ul>
 * <li>The transport builds a TLS strategy for every client, even one on a Unix socket that never speaks TLS,
 *     and without a context of its own it asks for the JVM's default at once: the CA certificates parsed into
 *     the heap and some 300 JSSE classes. {@link #deferredDefault} makes the default only when a connection
 *     first uses it.</li>
 * <li>The transport bounds connecting and reading but not the TLS handshake between them: an engine address
 *     that accepts the connection and never answers the handshake (a plain-HTTP port given TLS settings, a
 *     stuck proxy) held an observation forever. Every socket this context makes reads the handshake with a
 *     timeout.</li>
 * </ul>
 */
final class DockerTlsContext extends SSLContext {

    private DockerTlsContext(Source source, Duration handshakeTimeout) {
        super(new Spi(source, Math.toIntExact(Math.max(1, handshakeTimeout.toMillis()))), null, "TLS");
    }

    /** The JVM's default context, made when a connection first uses it. */
    static DockerTlsContext deferredDefault(Duration handshakeTimeout) {
        return new DockerTlsContext(SSLContext::getDefault, handshakeTimeout);
    }

    /** {@code configured}, with its handshakes bounded. */
    static DockerTlsContext bounded(SSLContext configured, Duration handshakeTimeout) {
        return new DockerTlsContext(() -> configured, handshakeTimeout);
    }

    @FunctionalInterface
    private interface Source {
        SSLContext get() throws GeneralSecurityException;
    }

    private static final class Spi extends SSLContextSpi {
        private final Source source;
        private final int handshakeTimeoutMillis;
        private volatile SSLContext delegate;

        Spi(Source source, int handshakeTimeoutMillis) {
            this.source = source;
            this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        }

        private SSLContext delegate() {
            SSLContext d = delegate;
            if (d == null) {
                synchronized (this) {
                    d = delegate;
                    if (d == null) {
                        try {
                            d = source.get();
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException("no TLS context for the Docker engine: " + e.getMessage(), e);
                        }
                        delegate = d;
                    }
                }
            }
            return d;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException("the Docker engine's TLS context is made from its settings,"
                    + " not initialized again");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new BoundedHandshakeSocketFactory(delegate().getSocketFactory(), handshakeTimeoutMillis);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }

    /** Sockets that time out reading, the handshake included, until their user sets a timeout of its own. */
    private static final class BoundedHandshakeSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final int timeoutMillis;

        BoundedHandshakeSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
            this.delegate = delegate;
            this.timeoutMillis = timeoutMillis;
        }

        private Socket bounded(Socket socket) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return bounded(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return bounded(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return bounded(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return bounded(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return bounded(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return bounded(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
