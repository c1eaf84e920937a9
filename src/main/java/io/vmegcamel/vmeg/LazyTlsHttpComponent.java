package io.vmegcamel.vmeg;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.HostnameVerifier;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.client5.http.socket.LayeredConnectionSocketFactory;
import org.apache.hc.client5.http.socket.PlainConnectionSocketFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * camel-http, with two changes to how it sets up TLS:
 * <ul>
 * <li>with the JVM's default trust, at the first https connection, not when the component starts: its trust store
 * and SSL classes cost a fresh JVM about 0.3 s of CPU, and the embedded default (the built-in sandbox on plain http)
 * never needs them;</li>
 * <li>with the global {@code camel.ssl.*} parameters whenever {@code use-global-ssl-context-parameters} is on. Stock
 * camel-http takes them only for an endpoint URI that starts with "https", which the routes' {@code http:https://…}
 * does not, so a configured trust store was silently ignored.</li>
 * </ul>
 * The https socket factory itself is camel-http's own, with the same settings.
 */
public class LazyTlsHttpComponent extends HttpComponent {

    @Override
    protected Registry<ConnectionSocketFactory> createConnectionRegistry(HostnameVerifier verifier,
            SSLContextParameters ssl, boolean useSystemProperties) throws GeneralSecurityException, IOException {
        SSLContextParameters configured = ssl != null ? ssl : retrieveGlobalSslContextParameters();
        if (configured != null) { // set up now: a trust or key store that cannot be read stops the start
            return super.createConnectionRegistry(verifier, configured, useSystemProperties);
        }
        return RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new Lazy(() -> {
                    try {
                        return (LayeredConnectionSocketFactory) super.createConnectionRegistry(verifier, null,
                                useSystemProperties).lookup("https");
                    } catch (GeneralSecurityException e) {
                        throw new IOException("TLS could not be set up: " + e.getMessage(), e);
                    }
                }))
                .build();
    }

    private interface TlsSetUp {
        LayeredConnectionSocketFactory create() throws IOException;
    }

    private static final class Lazy implements LayeredConnectionSocketFactory {
        private final TlsSetUp setUp;
        private LayeredConnectionSocketFactory tls; // guarded by this

        Lazy(TlsSetUp setUp) {
            this.setUp = setUp;
        }

        private synchronized LayeredConnectionSocketFactory tls() throws IOException {
            if (tls == null) {
                tls = setUp.create();
            }
            return tls;
        }

        @Override
        public Socket createSocket(HttpContext context) throws IOException {
            return tls().createSocket(context);
        }

        @Override
        public Socket createSocket(Proxy proxy, HttpContext context) throws IOException {
            return tls().createSocket(proxy, context);
        }

        @Override
        public Socket connectSocket(Socket socket, HttpHost host, InetSocketAddress remote, InetSocketAddress local,
                Timeout connectTimeout, Object attachment, HttpContext context) throws IOException {
            return tls().connectSocket(socket, host, remote, local, connectTimeout, attachment, context);
        }

        @Override
        public Socket connectSocket(TimeValue connectTimeout, Socket socket, HttpHost host,
                InetSocketAddress remote, InetSocketAddress local, HttpContext context) throws IOException {
            return tls().connectSocket(connectTimeout, socket, host, remote, local, context);
        }

        @Override
        public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context)
                throws IOException {
            return tls().createLayeredSocket(socket, target, port, context);
        }

        @Override
        public Socket createLayeredSocket(Socket socket, String target, int port, Object attachment,
                HttpContext context) throws IOException {
            return tls().createLayeredSocket(socket, target, port, attachment, context);
        }
    }
}
