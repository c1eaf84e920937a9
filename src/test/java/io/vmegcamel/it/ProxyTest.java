package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vmegcamel.sandbox.RecordedRequest;
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
 * A corporate HTTP proxy, set with Camel's own camel.component.http.proxy-* settings, carries every call to VMEG:
 * API calls and presigned PUTs (the URL still byte for byte: the sandbox verifies its signature).
 */
class ProxyTest extends BundleTestSupport {

    private static final List<String> SEEN = new CopyOnWriteArrayList<>();
    private static final HttpServer PROXY = proxy();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("camel.component.http.proxy-host", "127.0.0.1");
        p.setProperty("camel.component.http.proxy-port", String.valueOf(PROXY.getAddress().getPort()));
        return p;
    }

    @AfterAll
    static void stopProxy() {
        PROXY.stop(0);
    }

    @Test
    void everyCallGoesThroughTheConfiguredProxy() {
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.archive().resolve("demo.mp4"));

        String base = sandbox().baseUrl();
        RecordedRequest put = sandbox().journal().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(put.status()).isEqualTo(200);
        assertThat(SEEN).contains(
                "POST " + base + VmegPaths.GEN_UPLOAD_URL,
                "PUT " + base + put.path() + "?" + put.rawQuery(),
                "POST " + base + VmegPaths.UPLOAD_COMPLETE,
                "POST " + base + VmegPaths.MEDIA_TRANSLATION_CREATE);
        // every API call the sandbox received came through the proxy
        long apiCalls = sandbox().journal().stream().filter(r -> r.path().startsWith("/openapi/")).count();
        assertThat(SEEN.stream().filter(s -> s.contains("/openapi/"))).hasSize((int) apiCalls);
    }

    /** A minimal forward proxy for plain http: takes absolute-URI requests and relays them. */
    private static HttpServer proxy() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                URI target = exchange.getRequestURI();
                SEEN.add(exchange.getRequestMethod() + " "
                        + target.toString().replaceAll("req_id=[0-9a-f]{32}", "").replaceAll("[?&]$", ""));
                Relay.forward(exchange, target);
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
