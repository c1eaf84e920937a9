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

class OtherProductsTest {

    @TempDir
    static Path dir;
    static WebhookReceiver receiver;
    static SandboxServer server;
    static TestClient client;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        server = SandboxServer.start(WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir), receiver)
                .withFailTaskWhen(List.of("lang:ko-KR")));
        client = new TestClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    private static JsonNode accepted(String path, String body) {
        TestClient.Resp r = client.post(path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.data().fieldNames()).toIterable().containsExactly("taskId", "createdAt");
        assertThat(r.data().get("taskId").asText()).matches("t_[0-9a-f]{24}");
        return r.data();
    }

    private static JsonNode webhookFor(String taskId) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> !WebhookDeliveryTest.forTask(receiver, taskId).isEmpty());
        WebhookReceiver.Received w = WebhookDeliveryTest.forTask(receiver, taskId).get(0);
        WebhookDeliveryTest.assertSigned(w);
        return w.json();
    }

    private static void assertBadRequest(String path, String body, String message) {
        TestClient.Resp r = client.post(path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.message()).isEqualTo(message);
    }

    @Test
    void asyncTtsCompletesWithOpenapiTtsEventAndPlayableUris() throws Exception {
        JsonNode acc = accepted("task/tts/create-async", "{\"provider\":\"V1\",\"language\":{\"target\":\"en-US\"},"
                + "\"outputFormat\":\"wav\",\"trim\":false,\"data\":[{\"text\":\"Hello from VMEG.\",\"voiceId\":\"sv_en_female_1\"},"
                + "{\"text\":\"Second line.\",\"voiceId\":\"sv_en_female_1\",\"emoPrompt\":\"cheerful\",\"emoWeight\":0.6,"
                + "\"duration\":2.5}],\"extraData\":{\"orderId\":\"ORD-1\"}}");
        String taskId = acc.get("taskId").asText();
        JsonNode env = webhookFor(taskId);
        assertThat(env.get("event").asText()).isEqualTo("openapi-tts");
        assertThat(env.get("code").asInt()).isEqualTo(200);
        assertThat(env.get("extraData").toString()).isEqualTo("{\"orderId\":\"ORD-1\"}");
        JsonNode data = env.get("data");
        assertThat(data.get("taskId").asText()).isEqualTo(taskId);
        assertThat(data.get("createdAt").asText()).isEqualTo(acc.get("createdAt").asText());
        assertThat(data.get("results")).hasSize(2);
        assertThat(data.get("results").get(1).get("duration").asDouble()).isEqualTo(2.5);
        TestClient.Resp clip = client.fetch(data.get("results").get(1).get("uri").asText());
        assertThat(clip.status()).isEqualTo(200);
        assertThat(clip.header("Content-Type")).isEqualTo("audio/wav");
        assertThat(MediaProbeTest.probeBytes(clip.body()).durationMs()).isEqualTo(2500);

        JsonNode detail = client.get("tasks/detail?taskId=" + taskId).data();
        assertThat(detail.get("taskType").asText()).isEqualTo("tts");
        assertThat(detail.get("status").asText()).isEqualTo("finished");
        assertThat(detail.get("result").get("results")).hasSize(2);
    }

    @Test
    void syncTtsAnswersTheResultAtOnceAndRejectsExtraData() {
        TestClient.Resp r = client.post("task/tts/create", "{\"outputFormat\":\"mp3\",\"data\":[{\"text\":\"Hi\",\"voiceId\":\"sv_de_female_1\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.data().get("results").get(0).get("uri").asText()).contains("/cdn/deliverables/").contains(".mp3?");
        assertThat(client.fetch(r.data().get("results").get(0).get("uri").asText()).header("Content-Type")).isEqualTo("audio/mpeg");
        assertBadRequest("task/tts/create", "{\"data\":[{\"text\":\"Hi\",\"voiceId\":\"sv_x\"}],\"extraData\":{}}",
                "field 'extraData' is only accepted on the async endpoint task/tts/create-async");
    }

    @Test
    void ttsValidation() {
        String p = "task/tts/create-async";
        assertBadRequest(p, "{\"data\":[]}", "field 'data' must have 1..50 items (got 0)");
        assertBadRequest(p, "{\"data\":[" + "{\"text\":\"a\",\"voiceId\":\"sv_1\"},".repeat(50) + "{\"text\":\"a\",\"voiceId\":\"sv_1\"}]}",
                "field 'data' must have 1..50 items (got 51)");
        assertBadRequest(p, "{\"data\":[{\"voiceId\":\"sv_1\"}]}", "field 'data[0].text' is required");
        assertBadRequest(p, "{\"data\":[{\"text\":\"a\"}]}", "exactly one of 'data[0].voiceId' or 'data[0].timbreRefAudio' is required");
        assertBadRequest(p, "{\"data\":[{\"text\":\"a\",\"voiceId\":\"sv_1\",\"emoWeight\":1.5}]}",
                "field 'data[0].emoWeight' must be within 0..1 (got 1.5)");
        assertBadRequest(p, "{\"data\":[{\"text\":\"a\",\"timbreRefAudio\":\"http://x/a.wav\"}]}",
                "field 'data[0].timbreRefAudio' must be an https URL (got \"http://x/a.wav\")");
        assertBadRequest(p, "{\"outputFormat\":\"ogg\",\"data\":[{\"text\":\"a\",\"voiceId\":\"sv_1\"}]}",
                "field 'outputFormat' must be one of: wav, mp3, m4a (got \"ogg\")");
        assertBadRequest(p, "{\"provider\":\"S1\",\"data\":[{\"text\":\"a\",\"voiceId\":\"sv_1\"}]}",
                "field 'provider' must be one of: V1, V2, V3, V4, V5 (got \"S1\")");
        assertBadRequest(p, "{\"language\":{\"target\":\"ur-PK\"},\"data\":[{\"text\":\"a\",\"voiceId\":\"sv_1\"}]}",
                "field 'language.target' must be a supported target language code (ur-PK is only supported as a"
                        + " source language), e.g. en-US, de-DE, zh-CN (got \"ur-PK\")");
        assertBadRequest(p, "{\"trim\":\"no\",\"data\":[{\"text\":\"a\",\"voiceId\":\"sv_1\"}]}",
                "field 'trim' must be a boolean (true or false)");
        TestClient.Resp unknownClone = client.post(p, "{\"data\":[{\"text\":\"a\",\"voiceId\":\"cv_nope\"}]}");
        assertThat(unknownClone.status()).isEqualTo(404);
        assertThat(unknownClone.message()).isEqualTo("voice cv_nope not found (data[0].voiceId)");
    }

    @Test
    void asyncTranslateCompletesWithOpenapiTranslateEvent() throws Exception {
        JsonNode acc = accepted("task/translate/create-async", "{\"language\":{\"source\":\"zh-CN\",\"target\":\"en-US\"},"
                + "\"segments\":[{\"text\":\"你好\",\"speaker\":\"Speaker A\",\"gender\":\"female\"},{\"text\":\"欢迎使用\",\"start\":1.2,\"end\":2.5}],"
                + "\"options\":{\"sourceContext\":{\"mode\":\"neighbor\",\"contextWindow\":5},\"sceneCustomized\":{\"scene\":\"subtitle\","
                + "\"allowStutter\":false},\"glossary\":{\"微梦\":\"VMEG\"},\"prompt\":\"Formal\",\"skipMissingTranslationCheck\":false},"
                + "\"extraData\":{\"batch\":\"B-7\"}}");
        JsonNode env = webhookFor(acc.get("taskId").asText());
        assertThat(env.get("event").asText()).isEqualTo("openapi-translate");
        assertThat(env.get("extraData").toString()).isEqualTo("{\"batch\":\"B-7\"}");
        assertThat(env.get("data").get("items").toString()).isEqualTo("[{\"text\":\"[en-US] 你好\"},{\"text\":\"[en-US] 欢迎使用\"}]");
        assertThat(client.get("tasks/list?taskType=textTranslation").data().get("records").findValuesAsText("taskId"))
                .contains(acc.get("taskId").asText());
    }

    @Test
    void translateValidation() {
        String p = "task/translate/create";
        String lang = "\"language\":{\"source\":\"en-US\",\"target\":\"de-DE\"}";
        assertBadRequest(p, "{\"language\":{\"target\":\"de-DE\"},\"segments\":[{\"text\":\"a\"}]}", "field 'language.source' is required");
        assertBadRequest(p, "{\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"segments\":[{\"text\":\"a\"}]}",
                "field 'language.source' must be a supported source language code, e.g. en-US, de-DE, zh-CN (got \"auto\")");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\",\"start\":1}]}",
                "fields 'segments[0].start' and 'segments[0].end' must be sent together");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\",\"start\":2,\"end\":1}]}",
                "field 'segments[0].end' must be >= 'segments[0].start' (got start 2.0, end 1.0)");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\",\"gender\":\"other\"}]}",
                "field 'segments[0].gender' must be one of: male, female (got \"other\")");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\"}],\"options\":{\"sourceContext\":{\"contextWindow\":21}}}",
                "field 'options.sourceContext.contextWindow' must be within 1..20 (got 21)");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\"}],\"options\":{\"sourceContext\":{\"mode\":\"all\"}}}",
                "field 'options.sourceContext.mode' must be one of: independent, provided_only, neighbor (got \"all\")");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\"}],\"options\":{\"sceneCustomized\":{\"scene\":\"film\"}}}",
                "field 'options.sceneCustomized.scene' must be one of: video, audio, subtitle, voiceover (got \"film\")");
        assertBadRequest(p, "{" + lang + ",\"segments\":[{\"text\":\"a\"}],\"options\":{\"glossary\":{\"a\":1}}}",
                "field 'options.glossary.a' must be a string");
        TestClient.Resp sync = client.post(p, "{" + lang + ",\"segments\":[{\"text\":\"Hello\"}]}");
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.data().get("items").toString()).isEqualTo("[{\"text\":\"[de-DE] Hello\"}]");
        TestClient.Resp failed = client.post(p, "{\"language\":{\"source\":\"en-US\",\"target\":\"ko-KR\"},\"segments\":[{\"text\":\"Hi\"}]}");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.message()).isEqualTo("Task failed: target language ko-KR is not available (sandbox rule lang:ko-KR)");
    }

    @Test
    void asyncCloneVoiceCompletesAndTheVoiceIsListedAndUsable() throws Exception {
        JsonNode acc = accepted("task/clone-voice/create-async", "{\"voiceName\":\"Narrator Anna\",\"provider\":\"V5\","
                + "\"refAudio\":\"https://files.example.com/anna-sample.wav\",\"sampleLanguage\":\"de-DE\","
                + "\"sampleText\":\"Guten Tag.\",\"extraData\":{\"customer\":\"C-9\"}}");
        JsonNode env = webhookFor(acc.get("taskId").asText());
        assertThat(env.get("event").asText()).isEqualTo("openapi-clone-voice");
        String voiceId = env.get("data").get("voiceId").asText();
        assertThat(voiceId).matches("cv_[0-9a-f]{24}");
        assertThat(env.get("data").fieldNames()).toIterable().containsExactly("taskId", "voiceId", "createdAt");

        TestClient.Resp list = client.send(java.net.http.HttpRequest.newBuilder(client.api("assets/voice/clone/list"))
                .header("Authorization", "Bearer " + TestClient.KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"voiceIds\":[\"" + voiceId + "\"]}")));
        assertThat(list.status()).as("list needs no idempotency key").isEqualTo(200);
        JsonNode clone = list.data().get("records").get(0);
        assertThat(clone.get("name").asText()).isEqualTo("Narrator Anna");
        assertThat(clone.get("provider").asText()).isEqualTo("V5");
        assertThat(clone.get("exampleLanguage").asText()).isEqualTo("de-DE");
        assertThat(clone.get("taskId").asText()).isEqualTo(acc.get("taskId").asText());
        assertThat(list.data().get("total").asLong()).isEqualTo(1);

        TestClient.Resp tts = client.post("task/tts/create", "{\"data\":[{\"text\":\"Hallo\",\"voiceId\":\"" + voiceId + "\"}]}");
        assertThat(tts.status()).isEqualTo(200);
        assertBadRequest("task/tts/create", "{\"data\":[{\"text\":\"a\",\"voiceId\":\"" + voiceId + "\"},"
                + "{\"text\":\"b\",\"voiceId\":\"sv_en_female_1\"}]}",
                "do not mix system (sv_) and cloned (cv_) voices in one request; split it into separate calls");

        assertThat(client.post("assets/voice/clone/update", "{\"voiceId\":\"" + voiceId + "\",\"voiceName\":\"Anna 2\"}").status())
                .isEqualTo(200);
        assertThat(client.post("assets/voice/clone/list", "{\"searchName\":\"anna 2\"}").data().get("total").asLong()).isEqualTo(1);
        assertThat(client.post("assets/voice/clone/delete", "{\"voiceId\":\"" + voiceId + "\"}").status()).isEqualTo(200);
        assertThat(client.post("assets/voice/clone/delete", "{\"voiceId\":\"" + voiceId + "\"}").status()).isEqualTo(404);
    }

    @Test
    void cloneVoiceValidation() {
        String p = "task/clone-voice/create";
        String ok = "\"voiceName\":\"A\",\"provider\":\"V1\",\"refAudio\":\"https://x.example/a.wav\",\"sampleLanguage\":\"en-US\"";
        assertBadRequest(p, "{\"provider\":\"V1\",\"refAudio\":\"https://x.example/a.wav\",\"sampleLanguage\":\"en-US\"}",
                "field 'voiceName' is required");
        assertBadRequest(p, "{" + ok.replace("V1", "V9") + "}", "field 'provider' must be one of: V1, V2, V3, V4, V5 (got \"V9\")");
        assertBadRequest(p, "{" + ok.replace("https://x.example/a.wav", "ftp://x/a.wav") + "}",
                "field 'refAudio' must be an https URL (got \"ftp://x/a.wav\")");
        assertBadRequest(p, "{" + ok.replace("en-US", "english") + "}",
                "field 'sampleLanguage' must be a supported source language code, e.g. en-US, de-DE, zh-CN (got \"english\")");
        TestClient.Resp sync = client.post(p, "{" + ok + "}");
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.data().get("voiceId").asText()).startsWith("cv_");
    }

    @Test
    void basicVoiceListIsPagedAndFiltered() {
        TestClient.Resp all = client.post("assets/voice/basic/list", "{}");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.data().get("total").asLong()).isEqualTo(8);
        assertThat(all.data().get("records")).hasSize(8);
        JsonNode first = all.data().get("records").get(0);
        assertThat(first.get("voiceId").asText()).isEqualTo("sv_en_female_1");
        assertThat(client.fetch(first.get("audio").asText()).status()).isEqualTo(200);
        JsonNode de = client.post("assets/voice/basic/list", "{\"locale\":\"de-DE\",\"gender\":\"female\",\"pageSize\":1}").data();
        assertThat(de.get("records").findValuesAsText("voiceId")).containsExactly("sv_de_female_1");
        JsonNode page2 = client.post("assets/voice/basic/list", "{\"currentPage\":2,\"pageSize\":3,\"orderBy\":\"voiceId\",\"order\":\"asc\"}").data();
        assertThat(page2.get("records").findValuesAsText("voiceId")).containsExactly("sv_en_male_1", "sv_es_male_1", "sv_fr_female_1");
        assertBadRequest("assets/voice/basic/list", "{\"orderBy\":\"name\"}",
                "field 'orderBy' must be one of: voiceId, score, create_time, update_time, is_preferred (got \"name\")");
    }
}
