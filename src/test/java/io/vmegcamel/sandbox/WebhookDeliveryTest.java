package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WebhookDeliveryTest {

    private static final String SECRET = "whsec-test";

    @TempDir
    static Path dir;
    static WebhookReceiver receiver;
    static SandboxServer server;
    static TestClient client;
    static JsonNode video;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        server = SandboxServer.start(fast(SandboxConfig.defaults().withDataDir(dir), receiver)
                .withFailTaskWhen(List.of("lang:fr-FR", "name:*broken*")));
        client = new TestClient(server);
        video = client.upload(TestMedia.mp4(7_000, 1280, 720, 300), "demo.mp4");
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    static SandboxConfig fast(SandboxConfig c, WebhookReceiver r) {
        return c.withWebhookUrl(r.url()).withWebhookSecret(SECRET).withTaskDuration(Duration.ofMillis(200))
                .withWebhookInitialBackoff(Duration.ofMillis(50)).withWebhookMaxBackoff(Duration.ofMillis(200))
                .withWebhookTimeout(Duration.ofSeconds(2));
    }

    static String create(TestClient c, String materialId, String target, String extraData) {
        TestClient.Resp r = c.post("task/media-translation/create-async", "{\"taskType\":\"vt\",\"source\":{\"materialId\":\""
                + materialId + "\"},\"language\":{\"target\":\"" + target + "\"},\"options\":{\"voiceClone\":{}}"
                + (extraData == null ? "" : ",\"extraData\":" + extraData) + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.data().get("taskId").asText();
    }

    static List<WebhookReceiver.Received> forTask(WebhookReceiver r, String taskId) {
        return r.received().stream().filter(x -> x.json().get("data").get("taskId").asText().equals(taskId)).toList();
    }

    static void assertSigned(WebhookReceiver.Received w) throws Exception {
        String ts = w.header("X-Timestamp");
        assertThat(ts).matches("\\d{13}");
        assertThat(Math.abs(System.currentTimeMillis() - Long.parseLong(ts))).isLessThan(300_000);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(ts.getBytes(StandardCharsets.UTF_8));
        assertThat(w.header("X-Signature")).isEqualTo(HexFormat.of().formatHex(mac.doFinal(w.body())));
        assertThat(w.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void deliversASignedEventAndRetriesWithTheSamePipelineKeyAndBody() throws Exception {
        receiver.answer(500);
        String taskId = create(client, video.get("materialId").asText(), "de-DE", "{\"orderId\":\"ORD-7\",\"n\":[1,2]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> forTask(receiver, taskId).size() == 2);

        List<WebhookReceiver.Received> got = forTask(receiver, taskId);
        for (WebhookReceiver.Received w : got) {
            assertSigned(w);
        }
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
        JsonNode env = got.get(0).json();
        assertThat(env.get("code").asInt()).isEqualTo(200);
        assertThat(env.get("version").asText()).isEqualTo("v1");
        assertThat(env.get("event").asText()).isEqualTo("openapi-media-translation");
        assertThat(env.get("pipelineKey").asText()).matches("[0-9a-f]{32}");
        assertThat(env.get("message").asText()).isEmpty();
        assertThat(env.get("extraData").toString()).isEqualTo("{\"orderId\":\"ORD-7\",\"n\":[1,2]}");
        JsonNode data = env.get("data");
        assertThat(data.get("taskType").asText()).isEqualTo("vt");
        assertThat(data.get("status").asText()).isEqualTo("finished");
        JsonNode built = data.get("result").get("build").get("video");
        assertThat(built.get("size").asLong()).isEqualTo(video.get("filesize").asLong());
        assertThat(built.get("duration").asDouble()).isEqualTo(7.0);
        assertThat(built.get("resolution").toString()).isEqualTo("{\"width\":1280,\"height\":720}");
        JsonNode segments = data.get("result").get("translatedScripts").get("result");
        assertThat(segments).hasSize(3);
        assertThat(segments.get(0).get("text").asText()).startsWith("[de-DE] ");
        assertThat(segments.get(2).get("end").asDouble()).isEqualTo(7.0);
        assertThat(segments.get(0).get("locale").asText()).isEqualTo("de-DE");
        assertThat(client.fetch(built.get("url").asText()).body()).hasSize(video.get("filesize").asInt());

        List<WebhookAttempt> attempts = server.webhookAttempts().stream().filter(a -> a.taskId().equals(taskId)).toList();
        assertThat(attempts).extracting(WebhookAttempt::attempt).containsExactly(1, 2);
        assertThat(attempts).extracting(WebhookAttempt::status).containsExactly(500, 200);
        assertThat(attempts).extracting(WebhookAttempt::pipelineKey).containsOnly(env.get("pipelineKey").asText());
        assertThat(attempts.get(1).signature()).isEqualTo(got.get(1).header("X-Signature"));
        assertThat(attempts.get(0).body()).isEqualTo(got.get(0).body());
    }

    @Test
    void aMatchingFailRuleEndsTheTaskFailedWithCode500() throws Exception {
        String byLang = create(client, video.get("materialId").asText(), "fr-FR", null);
        String broken = client.upload(TestMedia.mp4(2_000, 640, 360, 10), "broken-take.mp4").get("materialId").asText();
        String byName = create(client, broken, "de-DE", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> forTask(receiver, byLang).size() == 1
                && forTask(receiver, byName).size() == 1);

        WebhookReceiver.Received w = forTask(receiver, byLang).get(0);
        assertSigned(w);
        JsonNode env = w.json();
        assertThat(env.get("code").asInt()).isEqualTo(500);
        assertThat(env.get("message").asText())
                .isEqualTo("Task failed: target language fr-FR is not available (sandbox rule lang:fr-FR)");
        assertThat(env.get("extraData").toString()).isEqualTo("{}");
        assertThat(env.get("data").toString())
                .isEqualTo("{\"taskId\":\"" + byLang + "\",\"taskType\":\"vt\",\"status\":\"failed\"}");
        assertThat(forTask(receiver, byName).get(0).json().get("message").asText())
                .isEqualTo("Task failed: media 'broken-take.mp4' could not be processed (sandbox rule name:*broken*)");
        TestClient.Resp detail = client.get("tasks/detail?taskId=" + byLang);
        assertThat(detail.data().get("status").asText()).isEqualTo("failed");
        assertThat(detail.data().get("result").isNull()).isTrue();
    }

    @Test
    void duplicatesAndAStaleRunningEventAfterTheFinalOne(@TempDir Path other) {
        try (WebhookReceiver r = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(fast(SandboxConfig.defaults().withDataDir(other), r)
                     .withWebhookDuplicates(2).withWebhookOutOfOrder(true))) {
            TestClient c = new TestClient(s);
            String materialId = c.upload(TestMedia.wav(1_500), "a.wav").get("materialId").asText();
            TestClient.Resp created = c.post("task/media-translation/create-async", "{\"taskType\":\"at\",\"source\":"
                    + "{\"materialId\":\"" + materialId + "\"},\"language\":{\"target\":\"ja-JP\"},\"options\":{\"voiceClone\":{}}}");
            String taskId = created.data().get("taskId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> forTask(r, taskId).size() == 4);

            List<WebhookReceiver.Received> got = forTask(r, taskId);
            String finalKey = got.get(0).json().get("pipelineKey").asText();
            for (int i = 0; i < 3; i++) {
                assertThat(got.get(i).body()).isEqualTo(got.get(0).body());
                assertThat(got.get(i).json().get("data").get("status").asText()).isEqualTo("finished");
            }
            JsonNode stale = got.get(3).json();
            assertThat(stale.get("pipelineKey").asText()).matches("[0-9a-f]{32}").isNotEqualTo(finalKey);
            assertThat(stale.get("code").asInt()).isEqualTo(200);
            assertThat(stale.get("data").toString())
                    .isEqualTo("{\"taskId\":\"" + taskId + "\",\"taskType\":\"at\",\"status\":\"running\"}");
            JsonNode audio = got.get(0).json().get("data").get("result").get("build").get("audio");
            assertThat(audio.get("fps").asInt()).isZero();
            assertThat(audio.get("size").asLong()).isEqualTo(TestMedia.wav(1_500).length);
            // the sandbox records an attempt once the receiver has answered: after the receiver saw it
            await().atMost(Duration.ofSeconds(5)).until(() -> s.webhookAttempts().size() == 4);
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::attempt).containsExactly(1, 2, 3, 1);
        }
    }

    @Test
    void noWebhookUrlMeansNoDelivery(@TempDir Path other) {
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(other)
                .withTaskDuration(Duration.ofMillis(50)))) {
            TestClient c = new TestClient(s);
            String materialId = c.upload(TestMedia.wav(500), "quiet.wav").get("materialId").asText();
            String taskId = c.post("task/media-translation/create-async", "{\"taskType\":\"at\",\"source\":{\"materialId\":\""
                    + materialId + "\"},\"language\":{\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}")
                    .data().get("taskId").asText();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    s.task(taskId).orElseThrow().get("status").asText().equals("finished"));
            assertThat(s.webhookAttempts()).isEmpty();
        }
    }
}
