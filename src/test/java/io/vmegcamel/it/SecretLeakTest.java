package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.vmeg.VmegPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API key and the webhook secret never reach the log or a report, whatever happens. */
class SecretLeakTest extends BundleTestSupport {

    private static final String API_KEY = "live-SECRET-key-8c1d";
    private static final String WEBHOOK_SECRET = "whsec-SECRET-5e2b";
    private static final String LEDGER_PASSWORD = "pg-SECRET-9a3f";
    private static LogCapture capture;

    @BeforeAll
    static void captureTheLog() {
        capture = new LogCapture("capture", "%m%n");
    }

    @AfterAll
    static void stopCapturing() {
        capture.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.api-key", API_KEY);
        p.setProperty("vmeg.webhook.secret", WEBHOOK_SECRET);
        p.setProperty("vmeg.ledger.password", LEDGER_PASSWORD);
        p.setProperty("vmeg.pause.probe-interval-ms", "300");
        return p;
    }

    @Test
    void secretsStayOutOfLogsAndReports() throws Exception {
        drop("sample.mp4", "good.mp4");
        awaitFile(env.archive().resolve("good.mp4"));
        // the key refused: ingest pauses (health says why) until VMEG accepts it again
        sandbox().injectFault("POST", VmegPaths.GEN_UPLOAD_URL, 401, 401, "Invalid or missing API Key", 1);
        // refused for about 6 s of probes (300 ms apart), so that the health polls see the pause on a busy machine
        sandbox().injectFault("GET", VmegPaths.TASK_LIST, 401, 401, "Invalid or missing API Key", 20);
        drop("sample.m4a", "paused.m4a");
        String paused = await().atMost(PATIENCE).until(this::health, h -> h.contains("ingest paused"));
        awaitFile(env.archive().resolve("paused.m4a"));
        // a request refused for good: the file fails with a report
        sandbox().injectFault("POST", VmegPaths.GEN_UPLOAD_URL, 400, 400, "Bad Request", 1);
        dropSidecar("refused.m4a", "{\"targetLanguages\": [\"fr-FR\"]}");
        drop("sample.m4a", "refused.m4a");
        String report = Files.readString(awaitFile(env.failed().resolve("refused.m4a.error.json")));
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(env.baseUrl() + "/webhooks/vmeg")).header("X-Timestamp", "1")
                .header("X-Signature", "00").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(paused).contains("VMEG_API_KEY").doesNotContain(API_KEY);
        assertThat(report).contains("VMEG_REJECTED").doesNotContain(API_KEY);
        String log = capture.text();
        assertThat(log).contains("good.mp4").contains("paused.m4a").contains("refused.m4a"); // the capture works
        assertThat(log).doesNotContain(API_KEY).doesNotContain(WEBHOOK_SECRET).doesNotContain(LEDGER_PASSWORD)
                .doesNotContain("Bearer ").doesNotContain("X-Amz-Signature=");
        // nor anything an operator looks at: the settings as printed, the health endpoint with every detail
        String settings = context.getRegistry().lookupByName("settings").toString();
        String health = health();
        assertThat(settings).contains("apiKey=***").contains("ledgerPassword=***");
        assertThat(settings + health).doesNotContain(API_KEY).doesNotContain(WEBHOOK_SECRET)
                .doesNotContain(LEDGER_PASSWORD);
    }

    private String health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + env.managementPort() + "/observe/health?data=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
