package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTranslationCreateTest {

    private static final String CREATE = "task/media-translation/create-async";

    @TempDir
    static Path dir;
    static SandboxServer server;
    static TestClient client;
    static String video;  // 61.5 s -> 2 billed minutes
    static String audio;

    @BeforeAll
    static void start() {
        server = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir).withTaskDuration(Duration.ofMinutes(10)));
        client = new TestClient(server);
        video = client.upload(TestMedia.mp4(61_500, 1920, 1080, 100), "clip.mp4").get("materialId").asText();
        audio = client.upload(TestMedia.wav(1_000), "voice.wav").get("materialId").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(String taskType, String materialId, String language, String options) {
        return "{\"taskType\":\"" + taskType + "\",\"source\":{\"materialId\":\"" + materialId + "\"},\"language\":"
                + language + ",\"options\":" + options + "}";
    }

    private static TestClient.Resp create(String body) {
        return client.post(CREATE, body);
    }

    private static void assertBadRequest(String body, String message) {
        TestClient.Resp r = create(body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.data().isNull()).isTrue();
    }

    @Test
    void acceptsAFullRequestAndAnswersRunning() {
        String options = "{\"voiceClone\":{\"style\":\"emotional\",\"mode\":\"role\",\"provider\":\"V5\"},"
                + "\"transcribe\":{\"mode\":\"fast\",\"type\":\"default\"},"
                + "\"translate\":{\"mode\":\"default\",\"prompt\":\"Keep product names.\"},"
                + "\"separation\":{\"mode\":\"auto\"},\"dynamicVideoLength\":{\"enable\":true},"
                + "\"lipsync\":{\"enable\":false},\"text\":{\"anything\":{\"goes\":[1,2]}},"
                + "\"voiceSpeakers\":{\"speakerNum\":\"2\",\"timbreMethod\":\"clone\","
                + "\"selectedVoicesList\":[{\"provider\":\"S1\",\"voiceId\":\"sv_en_female_1\"}]}}";
        String json = body("vt", video, "{\"source\":\"auto\",\"target\":\"de-DE\"}", options)
                .replaceFirst("}$", ",\"extraData\":{\"orderId\":\"ORD-1\"}}");
        TestClient.Resp r = create(json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode d = r.data();
        assertThat(d.get("taskId").asText()).matches("t_[0-9a-f]{24}");
        assertThat(d.get("taskType").asText()).isEqualTo("vt");
        assertThat(d.get("status").asText()).isEqualTo("running");
        assertThat(d.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(d.size()).isEqualTo(4);
        assertThat(server.task(d.get("taskId").asText()).orElseThrow().get("status").asText()).isEqualTo("running");
    }

    @Test
    void minimalRequestAndAtWithVideoRunsAsVt() {
        TestClient.Resp r = create(body("at", video, "{\"target\":\"zh-CN\"}", "{\"voiceClone\":{}}"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.data().get("taskType").asText()).isEqualTo("vt");
        TestClient.Resp a = create(body("at", audio, "{\"target\":\"zh-CN\"}", "{\"voiceClone\":{}}"));
        assertThat(a.data().get("taskType").asText()).isEqualTo("at");
    }

    @Test
    void rejectsUnknownFieldsAnywhereButFreeFormObjects() {
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}").replaceFirst("}$", ",\"foo\":1}"),
                "unknown field 'foo'; allowed fields at the top level: taskType, source, language, options, extraData");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{\"speed\":2}}"),
                "unknown field 'options.voiceClone.speed'; allowed fields in 'options.voiceClone': style, mode, provider");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"output\":{}}"),
                "unknown field 'options.output'; allowed fields in 'options': voiceClone, transcribe, translate,"
                        + " separation, dynamicVideoLength, lipsync, text, voiceSpeakers");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}")
                        .replace("{\"materialId\"", "{\"sourceUrl\":\"https://x\",\"materialId\""),
                "unknown field 'source.sourceUrl'; allowed fields in 'source': materialId");
    }

    @Test
    void rejectsBadTaskTypeAndLanguages() {
        assertBadRequest(body("st", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}"),
                "field 'taskType' must be one of: vt, at (got \"st\")");
        assertBadRequest("{\"source\":{\"materialId\":\"" + video + "\"},\"language\":{\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}",
                "field 'taskType' is required; allowed values: vt, at");
        assertBadRequest(body("vt", video, "{\"target\":\"xx-XX\"}", "{\"voiceClone\":{}}"),
                "field 'language.target' must be a supported target language code, e.g. en-US, de-DE, zh-CN (got \"xx-XX\")");
        assertBadRequest(body("vt", video, "{\"target\":\"ur-PK\"}", "{\"voiceClone\":{}}"),
                "field 'language.target' must be a supported target language code (ur-PK is only supported as a"
                        + " source language), e.g. en-US, de-DE, zh-CN (got \"ur-PK\")");
        assertBadRequest(body("vt", video, "{\"source\":\"zh-CN-henan\",\"target\":\"de-DE\"}", "{\"voiceClone\":{}}"),
                "field 'language.source' must be \"auto\" or a supported source language code (zh-CN-henan is only"
                        + " supported as a target language), e.g. en-US, de-DE, zh-CN (got \"zh-CN-henan\")");
        assertBadRequest(body("vt", video, "{\"source\":\"en-US\"}", "{\"voiceClone\":{}}"),
                "field 'language.target' is required");
    }

    @Test
    void rejectsMissingOptionsAndBadEnumsAndTypes() {
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{}"), "field 'options.voiceClone' is required");
        assertBadRequest("{\"taskType\":\"vt\",\"source\":{\"materialId\":\"" + video + "\"},\"language\":{\"target\":\"de-DE\"}}",
                "field 'options' is required");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{\"style\":\"happy\"}}"),
                "field 'options.voiceClone.style' must be one of: emotional, consistent (got \"happy\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{\"provider\":\"V6\"}}"),
                "field 'options.voiceClone.provider' must be one of: V1, V2, V3, V4, V5 (got \"V6\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"transcribe\":{\"mode\":\"slow\"}}"),
                "field 'options.transcribe.mode' must be one of: fast, normal (got \"slow\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"translate\":{\"mode\":\"human\"}}"),
                "field 'options.translate.mode' must be one of: default, machine (got \"human\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"lipsync\":{\"enable\":\"yes\"}}"),
                "field 'options.lipsync.enable' must be a boolean (true or false)");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"voiceSpeakers\":{\"speakerNum\":2}}"),
                "field 'options.voiceSpeakers.speakerNum' must be a string");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"voiceSpeakers\":{\"speakerNum\":\"many\"}}"),
                "field 'options.voiceSpeakers.speakerNum' must be \"auto\" or a number written as a string, e.g. \"2\" (got \"many\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"voiceSpeakers\":{\"timbreMethod\":\"copy\"}}"),
                "field 'options.voiceSpeakers.timbreMethod' must be one of: clone, smart (got \"copy\")");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}",
                        "{\"voiceClone\":{},\"voiceSpeakers\":{\"selectedVoicesList\":[{\"voiceId\":\"sv_x\"}]}}"),
                "field 'options.voiceSpeakers.selectedVoicesList[0].provider' is required");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"text\":[]}"),
                "field 'options.text' must be a JSON object");
        assertBadRequest(body("vt", video, "{\"target\":\"de-DE\"}", "{\"voiceClone\":null}"),
                "field 'options.voiceClone' must not be null");
    }

    @Test
    void checksTheMaterialAgainstTaskTypeAndLipsync() {
        assertBadRequest(body("vt", audio, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}"),
                "taskType vt needs a video material; material " + audio + " is audio (use taskType at)");
        assertBadRequest(body("at", audio, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{},\"lipsync\":{\"enable\":true}}"),
                "options.lipsync.enable: lipsync is for video only (material " + audio + " is audio)");
        TestClient.Resp unknown = create(body("vt", "m_000000000000000000000000", "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().toString())
                .isEqualTo("{\"code\":404,\"message\":\"material m_000000000000000000000000 not found\",\"data\":null}");
    }

    @Test
    void notEnoughCreditsIs402AndNothingIsCharged(@TempDir Path other) {
        try (SandboxServer poor = SandboxServer.start(SandboxConfig.defaults().withDataDir(other).withCredits(119)
                .withTaskDuration(Duration.ofMinutes(10)))) {
            TestClient c = new TestClient(poor);
            String id = c.upload(TestMedia.mp4(61_500, 1920, 1080, 100), "clip.mp4").get("materialId").asText();
            TestClient.Resp r = c.post(CREATE, body("vt", id, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}"));
            assertThat(r.status()).isEqualTo(402);
            assertThat(r.json().toString()).isEqualTo("{\"code\":402,\"message\":\"Insufficient credits: this task needs"
                    + " 120 credits, the balance is 119\",\"data\":null}");
            TestClient.Resp lipsync = c.post(CREATE, body("vt", id, "{\"target\":\"de-DE\"}",
                    "{\"voiceClone\":{},\"lipsync\":{\"enable\":true}}"));
            assertThat(lipsync.message()).contains("needs 240 credits");
            poor.setCredits(120);
            assertThat(c.post(CREATE, body("vt", id, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}")).status()).isEqualTo(200);
            assertThat(c.post(CREATE, body("vt", id, "{\"target\":\"de-DE\"}", "{\"voiceClone\":{}}")).message())
                    .isEqualTo("Insufficient credits: this task needs 120 credits, the balance is 0");
        }
    }
}
