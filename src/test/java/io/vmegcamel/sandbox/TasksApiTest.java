package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TasksApiTest {

    @TempDir
    static Path dir;
    static SandboxServer server;
    static TestClient client;
    static JsonNode video;
    static JsonNode audio;

    @BeforeAll
    static void start() {
        server = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir).withTaskDuration(Duration.ofMillis(200))
                .withDeliverableTtl(Duration.ofSeconds(1)));
        client = new TestClient(server);
        video = client.upload(TestMedia.mp4(3_200, 1920, 1080, 4096), "tasks.mp4");
        audio = client.upload(TestMedia.wav(900), "tasks.wav");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String create(TestClient c, String type, JsonNode material) {
        TestClient.Resp r = c.post("task/media-translation/create-async", "{\"taskType\":\"" + type + "\",\"source\":"
                + "{\"materialId\":\"" + material.get("materialId").asText() + "\"},\"language\":{\"target\":\"es-ES\"},"
                + "\"options\":{\"voiceClone\":{}}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.data().get("taskId").asText();
    }

    private static JsonNode awaitFinished(String taskId) {
        await().atMost(Duration.ofSeconds(5)).until(() ->
                client.get("tasks/detail?taskId=" + taskId).data().get("status").asText().equals("finished"));
        return client.get("tasks/detail?taskId=" + taskId).data();
    }

    @Test
    void detailHandsOutFreshUrlsAndTheCdnServesTheDeliverableUntilItExpires() {
        String taskId = create(client, "vt", video);
        TestClient.Resp running = client.get("tasks/detail?taskId=" + taskId);
        assertThat(running.data().toString())
                .isEqualTo("{\"taskId\":\"" + taskId + "\",\"taskType\":\"vt\",\"status\":\"running\",\"result\":null}");

        JsonNode detail = awaitFinished(taskId);
        assertThat(detail.get("taskType").asText()).isEqualTo("vt");
        JsonNode result = detail.get("result");
        assertThat(result.get("build").get("video").get("duration").asDouble()).isEqualTo(3.2);
        assertThat(result.get("translatedScripts").get("result")).hasSize(2);
        assertThat(result.get("asrScripts").get("language").toString()).isEqualTo("{\"source\":\"en-US\",\"target\":\"es-ES\"}");
        assertThat(result.get("tts").get("result").get(0).get("ttsFile").asText()).startsWith(server.baseUrl() + "/cdn/");
        assertThat(result.get("audioSeparation").get("vocalUrl").asText()).contains("?Expires=").contains("&Signature=");
        assertThat(server.task(taskId).orElseThrow().get("result").get("build").get("video").get("size").asLong())
                .isEqualTo(video.get("filesize").asLong());

        String url = result.get("build").get("video").get("url").asText();
        TestClient.Resp file = client.fetch(url);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).isEqualTo("video/mp4");
        assertThat((long) file.body().length).isEqualTo(video.get("filesize").asLong());
        TestClient.Resp clip = client.fetch(result.get("tts").get("result").get(0).get("ttsFile").asText());
        assertThat(clip.status()).isEqualTo(200);
        assertThat(MediaProbeTest.probeBytes(clip.body()).durationMs()).isEqualTo(1600);

        TestClient.Resp tampered = client.fetch(url.replace("Signature=", "Signature=0"));
        assertThat(tampered.status()).isEqualTo(403);
        assertThat(tampered.text()).contains("<Code>SignatureDoesNotMatch</Code>");
        TestClient.Resp otherFile = client.fetch(url.replace("dubbed.mp4", "silence.wav"));
        assertThat(otherFile.status()).isEqualTo(403);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> client.fetch(url).status() == 403);
        TestClient.Resp expired = client.fetch(url);
        assertThat(expired.text()).contains("<Code>AccessDenied</Code>", "<Message>Request has expired</Message>");

        // a new detail call re-signs: the fresh URL works again
        String fresh = client.get("tasks/detail?taskId=" + taskId).data().get("result").get("build").get("video").get("url").asText();
        assertThat(fresh).isNotEqualTo(url);
        assertThat((long) client.fetch(fresh).body().length).isEqualTo(video.get("filesize").asLong());
    }

    @Test
    void detailValidatesTheTaskId() {
        TestClient.Resp missing = client.get("tasks/detail");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).isEqualTo("query parameter 'taskId' is required");
        TestClient.Resp unknown = client.get("tasks/detail?taskId=t_nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("task t_nope not found");
        TestClient.Resp extra = client.get("tasks/detail?taskId=t_nope&projId=1");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.message()).startsWith("unknown query parameter 'projId'");
        assertThat(client.get("tasks/detail?taskId=t_nope&req_id=abc").status()).isEqualTo(404);
    }

    @Test
    void listFiltersByTypeAndStatusNewestFirst(@TempDir Path other) {
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(other)
                .withTaskDuration(Duration.ofMillis(100)))) {
            TestClient c = new TestClient(s);
            JsonNode v = c.upload(TestMedia.mp4(1_000, 640, 480, 10), "l.mp4");
            JsonNode a = c.upload(TestMedia.wav(300), "l.wav");
            String first = create(c, "vt", v);
            String second = create(c, "at", a);
            String third = create(c, "vt", v);

            JsonNode all = c.get("tasks/list").data();
            assertThat(all.get("total").asLong()).isEqualTo(3);
            assertThat(all.get("records").findValuesAsText("taskId")).containsExactly(third, second, first);
            JsonNode record = all.get("records").get(0);
            assertThat(record.fieldNames()).toIterable().containsExactly("taskId", "taskType", "status", "createdAt", "updatedAt");

            JsonNode vt = c.get("tasks/list?taskType=vt&currentPage=1&pageSize=1").data();
            assertThat(vt.get("total").asLong()).isEqualTo(2);
            assertThat(vt.get("records").findValuesAsText("taskId")).containsExactly(third);
            assertThat(c.get("tasks/list?taskType=vt&currentPage=2&pageSize=1").data().get("records").findValuesAsText("taskId"))
                    .containsExactly(first);
            assertThat(c.get("tasks/list?taskType=at").data().get("records").findValuesAsText("taskId")).containsExactly(second);
            assertThat(c.get("tasks/list?taskType=tts").data().get("total").asLong()).isZero();

            await().atMost(Duration.ofSeconds(5)).until(() ->
                    c.get("tasks/list?status=finished").data().get("total").asLong() == 3);
            assertThat(c.get("tasks/list?status=running").data().get("total").asLong()).isZero();

            TestClient.Resp bad = c.get("tasks/list?taskType=video");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.message()).isEqualTo("query parameter 'taskType' must be one of: vt, at, tts, cloneVoice,"
                    + " textTranslation (got \"video\")");
            assertThat(c.get("tasks/list?pageSize=0").message())
                    .isEqualTo("query parameter 'pageSize' must be an integer within 1..100 (got \"0\")");
        }
    }

    @Test
    void deletingAnUnfinishedTaskStopsItsWebhook(@TempDir Path other) {
        try (WebhookReceiver r = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(other).withWebhookUrl(r.url())
                     .withTaskDuration(Duration.ofMillis(500)))) {
            TestClient c = new TestClient(s);
            JsonNode a = c.upload(TestMedia.wav(300), "d.wav");
            String doomed = create(c, "at", a);
            TestClient.Resp deleted = c.post("tasks/delete", "{\"taskId\":\"" + doomed + "\"}");
            assertThat(deleted.json().toString()).isEqualTo("{\"code\":200,\"message\":\"\",\"data\":null}");
            String survivor = create(c, "at", a);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.received().size() == 1);
            assertThat(r.received().get(0).json().get("data").get("taskId").asText()).isEqualTo(survivor);
            // the sandbox records the attempt once the receiver has answered: after the receiver saw it
            await().atMost(Duration.ofSeconds(5)).until(() -> !s.webhookAttempts().isEmpty());
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::taskId).containsExactly(survivor);

            assertThat(c.get("tasks/detail?taskId=" + doomed).status()).isEqualTo(404);
            assertThat(s.task(doomed)).isEmpty();
            assertThat(c.get("tasks/list").data().get("records").findValuesAsText("taskId")).containsExactly(survivor);
            TestClient.Resp again = c.post("tasks/delete", "{\"taskId\":\"" + doomed + "\"}");
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.message()).isEqualTo("task " + doomed + " not found");
            assertThat(c.post("tasks/delete", "{}").message()).isEqualTo("field 'taskId' is required");
            List<RecordedRequest> deletes = s.journal().stream().filter(x -> x.path().endsWith("tasks/delete")).toList();
            assertThat(deletes).extracting(RecordedRequest::status).containsExactly(200, 404, 400);
        }
    }
}
