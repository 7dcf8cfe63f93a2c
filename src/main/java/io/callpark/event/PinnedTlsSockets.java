package io.callpark.event;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS sockets for an https webhook that connect to one checked address, whatever the host name resolves to when
 * the JDK's {@code HttpsURLConnection} connects: it asks for an unconnected socket (ours, pinned), connects it
 * to the URL's host (we take the checked address instead) and layers TLS over it with the URL's host name, so
 * the server name (SNI) and the certificate check are the host's as usual. Equal for one address, so the JDK's
 * keep-alive cache reuses a connection to it.
 */
final class PinnedTlsSockets extends SSLSocketFactory {

    private static final Map<InetAddress, PinnedTlsSockets> BY_ADDRESS = new ConcurrentHashMap<>();

    private final InetAddress pinned;
    private final SSLSocketFactory tls;

    private PinnedTlsSockets(InetAddress pinned, SSLSocketFactory tls) {
        this.pinned = pinned;
        this.tls = tls;
    }

    static PinnedTlsSockets to(InetAddress address) {
        if (BY_ADDRESS.size() > 1024) {
            BY_ADDRESS.clear(); // a bound, not a cache policy: they are cheap to make again
        }
        return BY_ADDRESS.computeIfAbsent(address, a -> new PinnedTlsSockets(a,
                (SSLSocketFactory) SSLSocketFactory.getDefault()));
    }

    /** The plain socket the JDK connects first: it goes to the pinned address, at the port asked for. */
    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(new InetSocketAddress(pinned, ((InetSocketAddress) endpoint).getPort()), timeout);
            }
        };
    }

    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
        return tls.createSocket(plain, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket plain = createSocket();
        plain.connect(InetSocketAddress.createUnresolved(host, port));
        return createSocket(plain, host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket(address.getHostAddress(), port);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }
}
