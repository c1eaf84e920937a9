package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management port only, never next to the public webhook. */
class OperationsTest extends BundleTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetricsAreOnTheManagementPort() throws Exception {
        // UP once every consumer works, i.e. the inbox has been polled once
        await().atMost(PATIENCE).until(() -> get(env.managementPort(), "/observe/health").statusCode() == 200);
        HttpResponse<String> health = get(env.managementPort(), "/observe/health");
        assertThat(health.body()).startsWith("{\"status\":\"UP\"").contains("{\"name\":\"consumer:ingest\",\"status\":\"UP\"}");
        HttpResponse<String> metrics = get(env.managementPort(), "/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total");
        assertThat(get(env.httpPort(), "/observe/health").statusCode()).isEqualTo(404);
    }
}
