package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sandbox is durable like the real VMEG: a sandbox started again on the same data dir remembers everything. */
class SandboxRestartTest {

    private static final String GEN = "assets/material/upload/gen-upload-url";
    private static final String MP = "assets/material/upload/multipart/";
    private static final String CLONE = "{\"voiceName\":\"Narrator\",\"provider\":\"V2\","
            + "\"refAudio\":\"https://x.example/ref.wav\",\"sampleLanguage\":\"en-US\"}";

    @TempDir
    Path dir;

    private SandboxConfig config() {
        return SandboxConfig.defaults().withDataDir(dir);
    }

    /** URLs issued before a restart name the sandbox's port: keep it, as the product does (8089). */
    private SandboxConfig onAFixedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return config().withPort(probe.getLocalPort());
        }
    }

    private static String genBody(byte[] bytes, String name) {
        return "{\"fileHash\":\"" + TestClient.md5(bytes) + "\",\"fileName\":\"" + name + "\"}";
    }

    private static JsonNode ok(TestClient.Resp r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.data();
    }

    @Test
    void materialsAndUploadsInProgressSurviveARestart() throws IOException {
        SandboxConfig cfg = onAFixedPort();
        byte[] mp4 = TestMedia.mp4(4_000, 640, 360, 700);
        byte[] wav = TestMedia.wav(300);
        byte[] later = TestMedia.mp4(2_000, 320, 240, 50);
        String videoId;
        JsonNode reserved;
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            videoId = c.upload(mp4, "keep.mp4").get("materialId").asText();
            String goneId = c.upload(wav, "gone.wav").get("materialId").asText();
            ok(c.post("assets/material/delete", "{\"materialId\":\"" + goneId + "\"}"));
            reserved = ok(c.post(GEN, genBody(later, "later.mp4"))); // uploaded now, completed after the restart
            assertThat(c.put(reserved.get("uploadUrl").asText(), later).status()).isEqualTo(200);
        }
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            JsonNode dedup = ok(c.post(GEN, genBody(mp4, "again.mp4")));
            assertThat(dedup.get("uploadUrl").asText()).isEmpty();
            assertThat(dedup.get("material").get("materialId").asText()).isEqualTo(videoId);
            assertThat(c.fetch(dedup.get("material").get("addressUrl").asText()).body()).isEqualTo(mp4);
            // the deleted one stays deleted: a fresh upload, no dedup
            assertThat(ok(c.post(GEN, genBody(wav, "gone.wav"))).has("material")).isFalse();

            JsonNode done = ok(c.post("assets/material/upload/complete", "{\"s3Uri\":\""
                    + reserved.get("s3Uri").asText() + "\",\"fileName\":\"later.mp4\",\"materialId\":\""
                    + reserved.get("materialId").asText() + "\",\"fileHash\":\"" + TestClient.md5(later) + "\"}"));
            assertThat(done.get("duration").asLong()).isEqualTo(2_000);
            // the object is registered now: its presigned URL (still valid after the restart) cannot overwrite it
            assertThat(c.put(reserved.get("uploadUrl").asText(), later).status()).isEqualTo(403);

            JsonNode list = ok(c.get("assets/material/list"));
            assertThat(list.get("total").asInt()).isEqualTo(2);
            assertThat(list.get("records")).extracting(m -> m.get("materialId").asText())
                    .containsExactly(reserved.get("materialId").asText(), videoId);
        }
    }

    @Test
    void aMultipartUploadGoesOnAfterARestart() throws IOException {
        SandboxConfig cfg = onAFixedPort().withMinPartSize(1024);
        byte[] file = TestMedia.mp4(3_000, 640, 360, 3000);
        byte[] part1 = java.util.Arrays.copyOfRange(file, 0, 1500);
        byte[] part2 = java.util.Arrays.copyOfRange(file, 1500, file.length);
        String hash = TestClient.md5(file);
        JsonNode init;
        JsonNode urls;
        String etag1;
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            init = ok(c.post(MP + "initiate", genBody(file, "big.mp4")));
            urls = ok(c.post(MP + "presign-parts", ids(init, hash) + ",\"partNumbers\":[1,2]}")).get("urls");
            TestClient.Resp put = c.put(urls.get(0).get("url").asText(), part1);
            assertThat(put.status()).isEqualTo(200);
            etag1 = put.header("ETag");
        }
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            TestClient.Resp put = c.put(urls.get(1).get("url").asText(), part2);
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            JsonNode m = ok(c.post(MP + "complete", ids(init, hash) + ",\"parts\":[{\"partNumber\":1,\"eTag\":"
                    + TestClient.MAPPER.valueToTree(etag1) + "},{\"partNumber\":2,\"eTag\":"
                    + TestClient.MAPPER.valueToTree(put.header("ETag")) + "}]}"));
            assertThat(m.get("materialId").asText()).isEqualTo(init.get("materialId").asText());
            assertThat(m.get("filesize").asLong()).isEqualTo(file.length);
        }
        try (SandboxServer s = SandboxServer.start(cfg)) { // and completed stays completed
            TestClient c = new TestClient(s);
            JsonNode again = ok(c.post(MP + "complete", ids(init, hash)
                    + ",\"parts\":[{\"partNumber\":1,\"eTag\":\"x\"}]}"));
            assertThat(again.get("materialId").asText()).isEqualTo(init.get("materialId").asText());
        }
    }

    /**
     * Storage acknowledged part 1, then the sandbox was killed before its state file listed the part: the part
     * file is on disk, so the part persists (as S3 keeps every part it acknowledged) and the upload completes.
     */
    @Test
    void aPartAcknowledgedJustBeforeAHardKillIsKept(@TempDir Path afterKill) throws IOException {
        SandboxConfig cfg = onAFixedPort().withMinPartSize(1024);
        byte[] file = TestMedia.mp4(3_000, 640, 360, 3000);
        byte[] part1 = java.util.Arrays.copyOfRange(file, 0, 1500);
        byte[] part2 = java.util.Arrays.copyOfRange(file, 1500, file.length);
        Path state = dir.resolve("state.json");
        TwoParts upload;
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            JsonNode init = ok(c.post(MP + "initiate", genBody(file, "big.mp4")));
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(state)
                    && Files.readString(state).contains(init.get("uploadId").asText()));
            upload = TwoParts.begin(c, init, file, part1);
            copyTree(dir, afterKill);
        }
        forgetParts(afterKill); // the disk as a kill -9 right after the answer leaves it: no part in the state

        try (SandboxServer s = SandboxServer.start(cfg.withDataDir(afterKill))) {
            assertThat(upload.finish(new TestClient(s), part2).get("filesize").asLong()).isEqualTo(file.length);
        }
    }

    /**
     * A part of the recommended size (or larger: the upload's slot size) lives in the upload's assembly file.
     * Acknowledged and listed in the state, or acknowledged just before a kill that left it unlisted (its marker
     * file names it), it is kept either way, and the last part goes behind it at the slot size.
     */
    @ParameterizedTest
    @ValueSource(ints = {8 * 1024 * 1024, 12 * 1024 * 1024})
    void aPartInTheAssemblyFileSurvivesARestartAndAHardKill(int partSize, @TempDir Path afterKill) throws IOException {
        SandboxConfig cfg = onAFixedPort();
        byte[] file = TestMedia.mp4(3_000, 640, 360, partSize + 3000);
        byte[] part1 = java.util.Arrays.copyOfRange(file, 0, partSize);
        byte[] part2 = java.util.Arrays.copyOfRange(file, partSize, file.length);
        Path state = dir.resolve("state.json");
        TwoParts upload;
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            upload = TwoParts.begin(c, ok(c.post(MP + "initiate", genBody(file, "big.mp4"))), file, part1);
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(state)
                    && Files.readString(state).replace(" ", "").contains("\"inAssembly\":true"));
        }
        String uploadId = upload.init().get("uploadId").asText();
        assertThat(Files.readString(dir.resolve("parts").resolve(uploadId).resolve("1.in-assembly")))
                .isEqualTo(upload.etag1().replace("\"", "") + " " + partSize);
        copyTree(dir, afterKill);
        forgetParts(afterKill);

        for (Path dataDir : List.of(dir, afterKill)) {
            try (SandboxServer s = SandboxServer.start(cfg.withDataDir(dataDir))) {
                TestClient c = new TestClient(s);
                JsonNode m = upload.finish(c, part2);
                assertThat(c.fetch(m.get("addressUrl").asText()).body()).as(dataDir.toString()).isEqualTo(file);
            }
        }
    }

    /** A multipart upload of big.mp4 in two parts, the first one stored. */
    private record TwoParts(JsonNode init, String hash, JsonNode urls, String etag1) {

        static TwoParts begin(TestClient c, JsonNode init, byte[] file, byte[] part1) {
            String hash = TestClient.md5(file);
            JsonNode urls = ok(c.post(MP + "presign-parts", ids(init, hash) + ",\"partNumbers\":[1,2]}")).get("urls");
            TestClient.Resp put = c.put(urls.get(0).get("url").asText(), part1);
            assertThat(put.status()).isEqualTo(200);
            return new TwoParts(init, hash, urls, put.header("ETag"));
        }

        /** PUTs part 2 and completes; the material. */
        JsonNode finish(TestClient c, byte[] part2) {
            TestClient.Resp put = c.put(urls.get(1).get("url").asText(), part2);
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            return ok(c.post(MP + "complete", ids(init, hash) + ",\"parts\":[{\"partNumber\":1,\"eTag\":"
                    + TestClient.MAPPER.valueToTree(etag1) + "},{\"partNumber\":2,\"eTag\":"
                    + TestClient.MAPPER.valueToTree(put.header("ETag")) + "}]}"));
        }
    }

    /** The state file of a data dir as a kill right after storage acknowledged a part leaves it: no part listed. */
    private static void forgetParts(Path dataDir) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode saved = (com.fasterxml.jackson.databind.node.ObjectNode)
                TestClient.MAPPER.readTree(dataDir.resolve("state.json").toFile());
        saved.putArray("parts");
        TestClient.MAPPER.writeValue(dataDir.resolve("state.json").toFile(), saved);
    }

    private static String ids(JsonNode init, String hash) {
        return "{\"materialId\":\"" + init.get("materialId").asText() + "\",\"uploadId\":\""
                + init.get("uploadId").asText() + "\",\"fileHash\":\"" + hash + "\",\"fileName\":\"big.mp4\"";
    }

    @Test
    void aTaskRunningAtTheStopEndsAfterTheRestartAndItsWebhookIsDelivered() throws Exception {
        SandboxConfig cfg = WebhookDeliveryTest.fast(config(), new WebhookReceiver())
                .withWebhookUrl(null).withTaskDuration(Duration.ofMillis(2_000));
        String taskId;
        String materialId;
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            s.setCredits(100);
            materialId = c.upload(TestMedia.mp4(7_000, 1280, 720, 300), "demo.mp4").get("materialId").asText();
            taskId = WebhookDeliveryTest.create(c, materialId, "de-DE", "{\"orderId\":\"ORD-9\",\"n\":[1,2]}");
            assertThat(s.task(taskId).orElseThrow().get("status").asText()).isEqualTo("running");
        }
        try (WebhookReceiver receiver = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(cfg.withWebhookUrl(receiver.url()))) {
            TestClient c = new TestClient(s);
            JsonNode detail = ok(c.get("tasks/detail?taskId=" + taskId));
            assertThat(detail.get("status").asText()).isEqualTo("running");
            assertThat(ok(c.get("tasks/list")).get("records")).extracting(t -> t.get("taskId").asText())
                    .containsExactly(taskId);

            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
            WebhookReceiver.Received w = receiver.received().get(0);
            WebhookDeliveryTest.assertSigned(w);
            assertThat(w.json().get("extraData").toString()).isEqualTo("{\"orderId\":\"ORD-9\",\"n\":[1,2]}");
            assertThat(w.json().get("code").asInt()).isEqualTo(200);
            assertThat(w.json().get("data").get("taskId").asText()).isEqualTo(taskId);
            assertThat(w.json().get("data").get("status").asText()).isEqualTo("finished");
            String url = w.json().get("data").get("result").get("build").get("video").get("url").asText();
            assertThat(url).startsWith(s.baseUrl() + "/cdn/");
            assertThat(c.fetch(url).status()).isEqualTo(200);
            assertThat(ok(c.get("tasks/detail?taskId=" + taskId)).get("status").asText()).isEqualTo("finished");
            TestClient.Resp second = c.post("task/media-translation/create-async", "{\"taskType\":\"vt\",\"source\":"
                    + "{\"materialId\":\"" + materialId + "\"},\"language\":{\"target\":\"fr-FR\"},\"options\":"
                    + "{\"voiceClone\":{}}}");
            assertThat(second.status()).isEqualTo(402); // the finished task was charged once, before the restart
            assertThat(second.message()).endsWith("needs 60 credits, the balance is 40");
        }
    }

    /**
     * A finished task's result never changes, so it is saved once, in a file of its own, and the state only refers
     * to it: the state stays small however many tasks finished. After a restart the result is there as before.
     */
    @Test
    void aFinishedTasksResultIsSavedInAFileOfItsOwnAndReadBackAfterARestart() throws Exception {
        SandboxConfig cfg = onAFixedPort().withTaskDuration(Duration.ofMillis(100));
        String taskId;
        JsonNode before;
        Path state = dir.resolve("state.json");
        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            s.setCredits(100);
            String materialId = c.upload(TestMedia.mp4(7_000, 1280, 720, 300), "r.mp4").get("materialId").asText();
            taskId = WebhookDeliveryTest.create(c, materialId, "de-DE", "{}");
            String id = taskId;
            await().atMost(Duration.ofSeconds(5)).until(() -> "finished".equals(s.task(id).orElseThrow()
                    .get("status").asText()));
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(state).replace(" ", "")
                    .contains("\"resultInFile\":true"));
            before = ok(c.get("tasks/detail?taskId=" + taskId)).get("result");
        }
        Path resultFile = dir.resolve("results").resolve(taskId + ".json");
        assertThat(TestClient.MAPPER.readTree(resultFile.toFile()).get("translatedScripts"))
                .isEqualTo(before.get("translatedScripts"));
        assertThat(Files.readString(state)).doesNotContain("translatedScripts");

        try (SandboxServer s = SandboxServer.start(cfg)) {
            TestClient c = new TestClient(s);
            JsonNode after = ok(c.get("tasks/detail?taskId=" + taskId));
            assertThat(after.get("status").asText()).isEqualTo("finished");
            assertThat(after.get("result").get("translatedScripts")).isEqualTo(before.get("translatedScripts"));
            assertThat(c.fetch(after.get("result").get("build").get("video").get("url").asText()).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void usedIdempotencyKeysAreStillUsedAfterARestartWithinTheirTtl() {
        try (SandboxServer s = SandboxServer.start(config())) {
            ok(new TestClient(s).post(GEN, genBody(new byte[]{1}, "a.mp4"), "order-17-upload"));
        }
        try (SandboxServer s = SandboxServer.start(config())) {
            TestClient c = new TestClient(s);
            TestClient.Resp reuse = c.post(GEN, genBody(new byte[]{2}, "b.mp4"), "order-17-upload");
            assertThat(reuse.status()).isEqualTo(409);
            assertThat(reuse.header("Retry-After")).isEqualTo("2");
            ok(c.post("assets/material/upload/multipart/initiate", genBody(new byte[]{2}, "b.mp4"),
                    "order-17-upload")); // the key is per path
        }
        // the TTL in force applies: with a shorter one the key has expired
        try (SandboxServer s = SandboxServer.start(config().withIdempotencyTtl(Duration.ofMillis(1)))) {
            ok(new TestClient(s).post(GEN, genBody(new byte[]{3}, "c.mp4"), "order-17-upload"));
        }
    }

    @Test
    void creditsAndClonedVoicesSurviveARestart() {
        String voiceId;
        try (SandboxServer s = SandboxServer.start(config())) {
            s.setCredits(15);
            voiceId = ok(new TestClient(s).post("task/clone-voice/create", CLONE)).get("voiceId").asText(); // 10
        }
        try (SandboxServer s = SandboxServer.start(config())) { // the configured 1 000 000 is only the start
            TestClient c = new TestClient(s);
            TestClient.Resp poor = c.post("task/clone-voice/create", CLONE);
            assertThat(poor.status()).isEqualTo(402);
            assertThat(poor.message()).isEqualTo("Insufficient credits: this task needs 10 credits, the balance is 5");
            JsonNode clones = ok(c.post("assets/voice/clone/list", "{}"));
            assertThat(clones.get("records")).extracting(v -> v.get("voiceId").asText()).containsExactly(voiceId);
            ok(c.post("task/tts/create", "{\"data\":[{\"text\":\"Hello\",\"voiceId\":\"" + voiceId + "\"}]}"));
            s.setCredits(7);
        }
        try (SandboxServer s = SandboxServer.start(config())) {
            assertThat(new TestClient(s).post("task/clone-voice/create", CLONE).message()).endsWith("the balance is 7");
        }
    }

    @Test
    void aWebhookRefusedBeforeTheStopIsDeliveredAgainAfterItWithTheSamePipelineKey() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            SandboxConfig cfg = WebhookDeliveryTest.fast(config(), receiver).withTaskDuration(Duration.ofMillis(50))
                    .withWebhookInitialBackoff(Duration.ofMillis(1_500)).withWebhookMaxBackoff(Duration.ofSeconds(5));
            String taskId;
            try (SandboxServer s = SandboxServer.start(cfg)) {
                taskId = ok(new TestClient(s).post("task/translate/create-async", "{\"language\":{\"source\":"
                        + "\"en-US\",\"target\":\"de-DE\"},\"segments\":[{\"text\":\"Hi\"}],\"extraData\":{\"k\":1}}"))
                        .get("taskId").asText();
                await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
            } // stopped while the retry waits for its backoff
            assertThat(receiver.received()).hasSize(1);
            try (SandboxServer s = SandboxServer.start(cfg)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 2);
                WebhookReceiver.Received refused = receiver.received().get(0);
                WebhookReceiver.Received again = receiver.received().get(1);
                assertThat(again.body()).isEqualTo(refused.body());
                assertThat(again.json().get("pipelineKey").asText())
                        .isEqualTo(refused.json().get("pipelineKey").asText());
                assertThat(again.json().get("data").get("taskId").asText()).isEqualTo(taskId);
                WebhookDeliveryTest.assertSigned(again);
                assertThat(again.header("X-Timestamp")).isNotEqualTo(refused.header("X-Timestamp"));
                List<WebhookAttempt> attempts = s.webhookAttempts();
                assertThat(attempts).extracting(WebhookAttempt::attempt).containsExactly(2);
                assertThat(attempts).extracting(WebhookAttempt::status).containsExactly(200);
            }
            try (SandboxServer s = SandboxServer.start(cfg)) { // acknowledged: never again
                assertThat(s.task(taskId).orElseThrow().get("status").asText()).isEqualTo("finished");
                assertThat(s.webhookAttempts()).isEmpty();
            }
            assertThat(receiver.received()).hasSize(2);
        }
    }

    @Test
    void aHardKillLosesAtMostTheLastMomentsBecauseChangesAreWrittenWithinASecond(@TempDir Path afterKill)
            throws IOException {
        Path state = dir.resolve("state.json");
        String materialId;
        try (SandboxServer s = SandboxServer.start(config())) {
            materialId = new TestClient(s).upload(TestMedia.wav(200), "quick.wav").get("materialId").asText();
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(state)
                    && Files.readString(state).contains(materialId));
            copyTree(dir, afterKill); // the disk as a kill -9 would leave it now
        }
        assertThat(afterKill.resolve("state.json.tmp")).doesNotExist();
        try (SandboxServer s = SandboxServer.start(SandboxConfig.defaults().withDataDir(afterKill))) {
            JsonNode list = ok(new TestClient(s).get("assets/material/list"));
            assertThat(list.get("records")).extracting(m -> m.get("materialId").asText()).containsExactly(materialId);
        }
    }

    @Test
    void aCorruptStateFileStartsAnEmptySandboxWithAWarning() throws IOException {
        try (SandboxServer s = SandboxServer.start(config())) {
            new TestClient(s).upload(TestMedia.wav(200), "lost.wav");
        }
        Path state = dir.resolve("state.json");
        String good = Files.readString(state);
        Files.writeString(state, good.substring(0, good.length() / 2)); // torn by hand
        StringWriter log = new StringWriter();
        WriterAppender appender = capture(log);
        try (SandboxServer s = SandboxServer.start(config())) {
            TestClient c = new TestClient(s);
            assertThat(ok(c.get("assets/material/list")).get("total").asInt()).isZero();
            assertThat(ok(c.get("tasks/list")).get("total").asInt()).isZero();
            assertThat(c.upload(TestMedia.wav(200), "lost.wav").get("materialId").asText()).startsWith("m_");
        } finally {
            release(appender);
        }
        assertThat(log.toString()).contains("WARN VMEG sandbox: its saved state " + state + " is unreadable")
                .contains("starting with an empty sandbox");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("state.json.corrupt-"));
        }
        assertThat(TestClient.MAPPER.readTree(Files.readString(state)).get("materials")).hasSize(1);

        Files.writeString(state, "[]", StandardCharsets.UTF_8); // valid JSON, not a state
        try (SandboxServer s = SandboxServer.start(config())) {
            assertThat(ok(new TestClient(s).get("assets/material/list")).get("total").asInt()).isZero();
        }
    }

    private static WriterAppender capture(StringWriter target) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.newBuilder().setName("restart-test-capture").setTarget(target)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %m%n").build()).build();
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getRootLogger().addAppender(appender);
        ctx.updateLoggers();
        return appender;
    }

    private static void release(WriterAppender appender) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getRootLogger().removeAppender(appender);
        ctx.updateLoggers();
        appender.stop();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
