package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * VMEG's API over https, its certificate trusted only through the documented camel.ssl.* trust store (README,
 * "Proxy and TLS"), which stock camel-http would not apply to the routes' http:https://… endpoints. The https front
 * relays to the built-in sandbox; the presigned PUTs the sandbox hands out stay plain http.
 */
class TlsTest extends BundleTestSupport {

    private static final SelfSignedTls TLS = SelfSignedTls.create();
    private static final int SANDBOX_PORT = port();
    private static final List<String> SEEN = new CopyOnWriteArrayList<>();
    private static final HttpsServer API = httpsFront();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.port", String.valueOf(SANDBOX_PORT));
        p.setProperty("vmeg.base-url", "https://127.0.0.1:" + API.getAddress().getPort());
        return p;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return TLS.camelSslLocations();
    }

    @AfterAll
    static void stop() {
        API.stop(0);
    }

    @Test
    void apiCallsGoOverTlsWithTheConfiguredTrustStore() {
        drop("sample.mp4", "demo.mp4");
        // submitted is enough: the sandbox's result links are plain http, which an https VMEG may not hand out
        await().atMost(PATIENCE).until(() -> !calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE).isEmpty());

        assertThat(SEEN).contains(
                "POST " + VmegPaths.GEN_UPLOAD_URL,
                "POST " + VmegPaths.UPLOAD_COMPLETE,
                "POST " + VmegPaths.MEDIA_TRANSLATION_CREATE);
        // every API call the sandbox received came over https
        long apiCalls = sandbox().journal().stream().filter(r -> r.path().startsWith("/openapi/")).count();
        assertThat(SEEN.size()).isGreaterThanOrEqualTo((int) apiCalls);
    }

    private static int port() {
        try {
            return TestEnv.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpsServer httpsFront() {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(TLS.serverContext()));
            server.createContext("/", exchange -> {
                SEEN.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                Relay.forward(exchange, URI.create("http://127.0.0.1:" + SANDBOX_PORT + exchange.getRequestURI()));
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
