package io.vmegcamel.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SandboxLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        SandboxConfig d = SandboxConfig.defaults();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isZero();
        assertThat(d.apiKey()).isEqualTo("sandbox-api-key");
        assertThat(d.webhookSecret()).isEqualTo("sandbox-webhook-secret");
        assertThat(d.webhookUrl()).isNull();
        assertThat(d.dataDir()).isEqualTo(Path.of("data", "sandbox"));
        assertThat(d.taskDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.deliverableTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(d.uploadUrlTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(d.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(d.failTaskWhen()).isEmpty();
        assertThat(d.failRate()).isZero();
        assertThat(d.webhookMaxAttempts()).isEqualTo(8);
        assertThat(d.webhookInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.webhookMaxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.webhookTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.webhookDuplicates()).isZero();
        assertThat(d.webhookOutOfOrder()).isFalse();
        assertThat(d.credits()).isEqualTo(1_000_000L);
        assertThat(d.minPartSize()).isEqualTo(5L * 1024 * 1024);
        assertThat(d.withPort(9).withCredits(5).port()).isEqualTo(9);
        assertThat(d.toString()).doesNotContain("sandbox-api-key", "sandbox-webhook-secret");
    }

    @Test
    void badSettingsFailFast() {
        assertThatThrownBy(() -> SandboxConfig.defaults().withFailTaskWhen(List.of("target:de-DE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lang:<locale code>");
        assertThatThrownBy(() -> SandboxConfig.defaults().withFailRate(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxConfig.defaults().withWebhookMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse(" PT3S ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("pt0.25s")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Durations.parse("3 seconds")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot parse duration '3 seconds'");
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTakenPortIsAClearIllegalStateException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> SandboxServer.start(SandboxConfig.defaults().withDataDir(dir).withPort(taken.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("VMEG sandbox cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
    }

    @Test
    void baseUrlPointsAtTheBoundPort() {
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir))) {
            assertThat(s.port()).isPositive();
            assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:" + s.port());
            assertThat(s.task("t_unknown")).isEmpty();
            TestClient.Resp storage = new TestClient(s).fetch(s.baseUrl() + "/elsewhere");
            assertThat(storage.status()).isEqualTo(404);
        }
    }

    @Test
    void anUnreachableReceiverIsRetriedUpToMaxAttemptsWithStatusMinusOne() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir)
                .withWebhookUrl("http://127.0.0.1:" + closedPort + "/hook").withTaskDuration(Duration.ofMillis(50))
                .withWebhookMaxAttempts(3).withWebhookInitialBackoff(Duration.ofMillis(20))
                .withWebhookTimeout(Duration.ofSeconds(1)))) {
            TestClient c = new TestClient(s);
            TestClient.Resp r = c.post("task/translate/create-async",
                    "{\"language\":{\"source\":\"en-US\",\"target\":\"de-DE\"},\"segments\":[{\"text\":\"Hi\"}]}");
            String taskId = r.data().get("taskId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.webhookAttempts().size() == 3);
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::status).containsExactly(-1, -1, -1);
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::attempt).containsExactly(1, 2, 3);
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::taskId).containsOnly(taskId);
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::event).containsOnly("openapi-translate");
            // every attempt: same body, its own timestamp and matching signature
            WebhookAttempt first = s.webhookAttempts().get(0);
            for (WebhookAttempt a : s.webhookAttempts()) {
                assertThat(a.body()).isEqualTo(first.body());
                assertThat(a.signature()).isEqualTo(WebhookSender.sign("sandbox-webhook-secret", a.timestamp(), a.body()));
            }
        }
    }

    @Test
    void failRateOneFailsEveryTaskAndRefundsItsCredits() {
        try (WebhookReceiver r = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir).withCredits(10)
                     .withFailRate(1.0).withTaskDuration(Duration.ofMillis(50)).withWebhookUrl(r.url()))) {
            TestClient c = new TestClient(s);
            String body = "{\"voiceName\":\"A\",\"provider\":\"V2\",\"refAudio\":\"https://x.example/a.wav\","
                    + "\"sampleLanguage\":\"en-US\"}";
            String taskId = c.post("task/clone-voice/create-async", body).data().get("taskId").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> r.received().size() == 1);
            WebhookReceiver.Received w = r.received().get(0);
            assertThat(w.json().get("code").asInt()).isEqualTo(500);
            assertThat(w.json().get("event").asText()).isEqualTo("openapi-clone-voice");
            assertThat(w.json().get("message").asText()).isEqualTo("Task failed: random sandbox failure (failRate 1.0)");
            assertThat(w.json().get("data").fieldNames()).toIterable().containsExactly("taskId", "createdAt");
            assertThat(s.task(taskId).orElseThrow().get("status").asText()).isEqualTo("failed");
            // the 10 credits came back, so a second clone is affordable; the sync one fails with 500 at once
            TestClient.Resp sync = c.post("task/clone-voice/create", body);
            assertThat(sync.status()).isEqualTo(500);
            assertThat(sync.json().toString()).isEqualTo("{\"code\":500,\"message\":\"Task failed: random sandbox failure"
                    + " (failRate 1.0)\",\"data\":null}");
            s.setCredits(9);
            assertThat(c.post("task/clone-voice/create", body).status()).isEqualTo(402);
        }
    }

    @Test
    void injectedFaultsMayNameTheRelativePathAndRunOut() {
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir))) {
            TestClient c = new TestClient(s);
            s.injectFault("get", "tasks/list", 500, 500, "boom", 2);
            assertThat(c.get("tasks/list").status()).isEqualTo(500);
            assertThat(c.get("tasks/list?taskType=vt").message()).isEqualTo("boom");
            assertThat(c.get("tasks/list").status()).isEqualTo(200);
            TestClient.Resp emptyList = c.send(java.net.http.HttpRequest.newBuilder(c.api("assets/voice/clone/list"))
                    .header("Authorization", "Bearer " + TestClient.KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(emptyList.data().toString()).isEqualTo("{\"records\":[],\"total\":0}");
        }
    }
}
