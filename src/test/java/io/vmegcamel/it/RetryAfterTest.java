package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * VMEG throttles (429) with a Retry-After: the next attempt waits that long, but never longer than
 * vmeg.retry.retry-after-cap. The sandbox never throttles, so a stub VMEG answers here: 429 "Retry-After: 30",
 * then 429 "Retry-After: 1", then a refusal that ends the file.
 */
class RetryAfterTest extends BundleTestSupport {

    private static final List<Long> ARRIVALS = new CopyOnWriteArrayList<>();
    private static final HttpServer STUB = stub();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.base-url", "http://127.0.0.1:" + STUB.getAddress().getPort());
        p.setProperty("vmeg.retry.max-redeliveries", "5");
        p.setProperty("vmeg.retry.delay-ms", "50");
        p.setProperty("vmeg.retry.retry-after-cap", "2500ms");
        return p;
    }

    @AfterAll
    static void stopStub() {
        STUB.stop(0);
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        drop("sample.mp4", "demo.mp4");
        JsonNode report = readJson(awaitFile(env.failed().resolve("demo.mp4.error.json")));

        assertThat(ARRIVALS).hasSize(3);
        long capped = ARRIVALS.get(1) - ARRIVALS.get(0);     // asked 30 s, capped to 2.5 s
        long honoured = ARRIVALS.get(2) - ARRIVALS.get(1);   // asked 1 s (the backoff alone would be ~0.1 s)
        assertThat(capped).isBetween(2_400L, 10_000L);
        assertThat(honoured).isBetween(900L, 2_400L);
        assertThat(report.path("error").asText()).isEqualTo("VMEG_REJECTED");
        assertThat(report.path("message").asText()).contains("HTTP 400");
    }

    private static HttpServer stub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/openapi/v1/assets/material/upload/gen-upload-url", exchange -> {
                ARRIVALS.add(System.nanoTime() / 1_000_000);
                exchange.getRequestBody().readAllBytes();
                int n = ARRIVALS.size();
                int status = n <= 2 ? 429 : 400;
                if (n <= 2) {
                    exchange.getResponseHeaders().add("Retry-After", n == 1 ? "30" : "1");
                }
                byte[] body = ("{\"code\":" + status + ",\"message\":\"" + (n <= 2 ? "slow down" : "bad request")
                        + "\",\"data\":null}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
