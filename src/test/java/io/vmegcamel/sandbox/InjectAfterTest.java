package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** injectAfter: the call is processed as usual and only the answer the client sees is replaced. */
class InjectAfterTest {

    private static final String CREATE = "task/media-translation/create-async";
    private static final String CREATE_PATH = "/openapi/v1/" + CREATE;

    @TempDir
    static Path dir;
    static WebhookReceiver receiver;
    static SandboxServer server;
    static TestClient client;
    static String video; // 7 s -> 1 billed minute = 60 credits

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        server = SandboxServer.start(WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir), receiver));
        client = new TestClient(server);
        video = client.upload(TestMedia.mp4(7_000, 1280, 720, 300), "after.mp4").get("materialId").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    private static String body(String orderId) {
        return "{\"taskType\":\"vt\",\"source\":{\"materialId\":\"" + video + "\"},\"language\":{\"target\":\"de-DE\"},"
                + "\"options\":{\"voiceClone\":{}},\"extraData\":{\"orderId\":\"" + orderId + "\"}}";
    }

    /** The taskId of the task created with this orderId, from its webhook (the client never saw the answer). */
    private static String taskOf(String orderId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> webhookFor(orderId) != null);
        return webhookFor(orderId).get("data").get("taskId").asText();
    }

    private static JsonNode webhookFor(String orderId) {
        return receiver.received().stream().map(WebhookReceiver.Received::json)
                .filter(j -> j.get("extraData").path("orderId").asText().equals(orderId)).findFirst().orElse(null);
    }

    private static int lastStatusOf(String path) {
        List<RecordedRequest> j = server.journal();
        for (int i = j.size() - 1; i >= 0; i--) {
            if (j.get(i).path().equals(path)) {
                return j.get(i).status();
            }
        }
        throw new AssertionError("no request to " + path);
    }

    @Test
    void aReplacedAnswerStillCreatesTheTaskConsumesTheKeyAndChargesCredits() {
        server.setCredits(60);
        server.injectAfter("POST", CREATE_PATH, SandboxServer.After.status(502, "<html>Bad Gateway</html>"), 1);

        TestClient.Resp r = client.post(CREATE, body("IA-1"), "ia-key-1");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.text()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(lastStatusOf(CREATE_PATH)).isEqualTo(502);

        String taskId = taskOf("IA-1");
        JsonNode detail = client.get("tasks/detail?taskId=" + taskId).data();
        assertThat(detail.get("status").asText()).isEqualTo("finished");
        assertThat(detail.get("taskType").asText()).isEqualTo("vt");

        TestClient.Resp again = client.post(CREATE, body("IA-1"), "ia-key-1");
        assertThat(again.status()).isEqualTo(409); // the key was consumed, and the fault was used up
        assertThat(again.code()).isEqualTo(409);

        TestClient.Resp broke = client.post(CREATE, body("IA-1b"));
        assertThat(broke.status()).isEqualTo(402);
        assertThat(broke.message()).endsWith("the balance is 0");
        server.setCredits(1_000_000);
    }

    @Test
    void anyStatusAndBodyForTheNextNCallsThenTheRealAnswer() {
        String noTaskId = "{\"code\":200,\"message\":\"\",\"data\":{}}";
        server.injectAfter("post", CREATE, SandboxServer.After.status(200, noTaskId), 1);
        server.injectAfter("POST", "/" + CREATE, SandboxServer.After.status(599, "garbage \u0000 ]"), 2);

        TestClient.Resp ok = client.post(CREATE, body("IA-2"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo(noTaskId);
        TestClient.Resp odd1 = client.post(CREATE, body("IA-3"));
        TestClient.Resp odd2 = client.post(CREATE, body("IA-4"));
        assertThat(List.of(odd1.status(), odd2.status())).containsExactly(599, 599);
        assertThat(odd2.text()).isEqualTo("garbage \u0000 ]");
        TestClient.Resp real = client.post(CREATE, body("IA-5"));
        assertThat(real.status()).isEqualTo(200);
        assertThat(real.data().get("taskId").asText()).matches("t_[0-9a-f]{24}");

        for (String order : List.of("IA-2", "IA-3", "IA-4")) {
            assertThat(client.get("tasks/detail?taskId=" + taskOf(order)).status()).isEqualTo(200);
        }
    }

    @Test
    void replacesErrorAnswersTooAndDropsTheirHeaders() {
        assertThat(client.post(CREATE, body("IA-6"), "ia-key-6").status()).isEqualTo(200);
        server.injectAfter("POST", CREATE, SandboxServer.After.status(302, ""), 1);

        TestClient.Resp r = client.post(CREATE, body("IA-6"), "ia-key-6"); // would have been 409 + Retry-After
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Retry-After")).isNull();
        assertThat(r.header("Location")).isNull();
    }

    @Test
    void aFaultInjectedBeforeAnswersFirstWithoutConsumingTheKey() {
        server.injectAfter("POST", CREATE, SandboxServer.After.status(500, "late"), 1);
        server.injectFault("POST", CREATE, 503, 503, "early", 1);

        TestClient.Resp early = client.post(CREATE, body("IA-7"), "ia-key-7");
        assertThat(early.status()).isEqualTo(503);
        assertThat(early.message()).isEqualTo("early");
        TestClient.Resp late = client.post(CREATE, body("IA-7"), "ia-key-7");
        assertThat(late.status()).isEqualTo(500);
        assertThat(late.text()).isEqualTo("late");
        assertThat(client.post(CREATE, body("IA-7"), "ia-key-7").status()).isEqualTo(409);
        taskOf("IA-7");
    }

    @Test
    void dropConnectionClosesTheSocketWithoutAnAnswer() {
        server.injectAfter("POST", CREATE, SandboxServer.After.dropConnection(), 1);

        assertThatThrownBy(() -> client.post(CREATE, body("IA-8"), "ia-key-8"))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(IOException.class);
        String taskId = taskOf("IA-8");
        assertThat(client.get("tasks/detail?taskId=" + taskId).status()).isEqualTo(200);
        assertThat(client.post(CREATE, body("IA-8"), "ia-key-8").status()).isEqualTo(409);
    }

    @Test
    void stallAnswersNothingUntilTheClientGivesUpAndHoldsNoThread() {
        server.injectAfter("POST", CREATE, SandboxServer.After.stall(), 1);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpRequest req = HttpRequest.newBuilder(client.api(CREATE)).timeout(Duration.ofMillis(700))
                .header("Authorization", "Bearer " + TestClient.KEY).header("Content-Type", "application/json")
                .header("X-Idempotency-Key", "ia-key-9").POST(HttpRequest.BodyPublishers.ofString(body("IA-9"))).build();
        CompletableFuture<HttpResponse<String>> stalled = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        // the sandbox keeps answering other calls meanwhile
        String taskId = taskOf("IA-9");
        assertThat(client.get("tasks/detail?taskId=" + taskId).status()).isEqualTo(200);
        assertThatThrownBy(() -> stalled.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(lastStatusOf(CREATE_PATH)).isZero();
        assertThat(client.post(CREATE, body("IA-9"), "ia-key-9").status()).isEqualTo(409);
    }

    @Test
    void aStalledCallIsReleasedWhenTheSandboxCloses(@TempDir Path other) throws Exception {
        SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(other));
        CompletableFuture<HttpResponse<String>> stalled;
        try {
            s.injectAfter("GET", "tasks/list", SandboxServer.After.stall(), 1);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            stalled = http.sendAsync(HttpRequest.newBuilder(new TestClient(s).api("tasks/list"))
                    .header("Authorization", "Bearer " + TestClient.KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> !s.journal().isEmpty());
            assertThat(stalled).isNotDone();
        } finally {
            s.close();
        }
        assertThatThrownBy(() -> stalled.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void statusMustBeAFinalHttpStatus() {
        assertThatThrownBy(() -> SandboxServer.After.status(100, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxServer.After.status(1000, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
