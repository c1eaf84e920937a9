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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * VMEG's API over https, its certificate trusted through the documented camel.ssl.* settings (README, "Proxy and
 * TLS"): camel-http sets TLS up at its first https call, not at start, with those settings. The https front relays
 * to the built-in sandbox; the presigned PUTs the sandbox hands out stay plain http.
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

    /** The trust store as the README shows it: camel.ssl.* in a properties file of the operator's (-pl). */
    @Override
    protected String getPropertyPlaceholderLocations() {
        try {
            Path file = Files.createTempFile(TLS.keyStore().getParent(), "tls", ".properties");
            Files.writeString(file, String.join("\n",
                    "camel.ssl.enabled = true",
                    "camel.ssl.trust-store = file:" + TLS.keyStore(),
                    "camel.ssl.trust-store-password = " + TLS.password(),
                    "camel.component.http.use-global-ssl-context-parameters = true"));
            return "classpath:application.properties,file:" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
