package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The config-driven behaviours: webhooksEnabled, finishedStatusWord, webhookOmit. */
class SandboxConfigModesTest {

    @TempDir
    Path dir;

    private static String createTask(TestClient c) {
        String materialId = c.upload(TestMedia.mp4(2_000, 640, 360, 10), "modes.mp4").get("materialId").asText();
        return WebhookDeliveryTest.create(c, materialId, "de-DE", null);
    }

    private static String statusOf(TestClient c, String taskId) {
        return c.get("tasks/detail?taskId=" + taskId).data().get("status").asText();
    }

    private static List<String> listed(TestClient c, String statusFilter) {
        JsonNode records = c.get("tasks/list" + (statusFilter == null ? "" : "?status=" + statusFilter)).data()
                .get("records");
        return records.findValuesAsText("status");
    }

    @Test
    void webhooksDisabledMeansNoDeliveryEvenWithAUrl() {
        try (WebhookReceiver receiver = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir),
                     receiver).withWebhooksEnabled(false))) {
            TestClient c = new TestClient(s);
            String taskId = createTask(c);
            await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(c, taskId).equals("finished"));
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                    .until(() -> receiver.received().isEmpty() && s.webhookAttempts().isEmpty());
        }
    }

    @Test
    void aFinishedTaskIsReportedWithTheConfiguredWordButWebhooksAndTheSavedStateKeepFinished() {
        SandboxConfig complete;
        String taskId;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            complete = WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir), receiver)
                    .withFinishedStatusWord("complete");
            try (SandboxServer s = SandboxServer.start(complete)) {
                TestClient c = new TestClient(s);
                taskId = createTask(c);
                assertThat(statusOf(c, taskId)).isEqualTo("running");
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);

                JsonNode hook = receiver.received().get(0).json().get("data");
                assertThat(hook.get("status").asText()).isEqualTo("finished");
                JsonNode detail = c.get("tasks/detail?taskId=" + taskId).data();
                assertThat(detail.get("status").asText()).isEqualTo("complete");
                assertThat(detail.get("result").get("build")).isNotNull();
                assertThat(s.task(taskId).orElseThrow().get("status").asText()).isEqualTo("complete");
                assertThat(listed(c, null)).containsExactly("complete");
                assertThat(listed(c, "complete")).containsExactly("complete");
                assertThat(listed(c, "finished")).isEmpty();
            }
            try (SandboxServer again = SandboxServer.start(complete)) {
                assertThat(statusOf(new TestClient(again), taskId)).isEqualTo("complete");
            }
        }
        try (SandboxServer plain = SandboxServer.start(SandboxConfig.defaults().withDataDir(dir))) {
            TestClient c = new TestClient(plain);
            assertThat(statusOf(c, taskId)).isEqualTo("finished");
            assertThat(listed(c, "finished")).containsExactly("finished");
        }
    }

    @Test
    void omittedEnvelopeFieldsAreLeftOutOfTheSignedBodyOnEveryAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir),
                     receiver).withWebhookOmit(List.of("pipelineKey", "event")))) {
            receiver.answer(500);
            String taskId = createTask(new TestClient(s));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 2);

            for (WebhookReceiver.Received w : receiver.received()) {
                WebhookDeliveryTest.assertSigned(w);
                JsonNode env = w.json();
                assertThat(env.has("pipelineKey")).isFalse();
                assertThat(env.has("event")).isFalse();
                assertThat(env.get("code").asInt()).isEqualTo(200);
                assertThat(env.get("version").asText()).isEqualTo("v1");
                assertThat(env.get("data").get("taskId").asText()).isEqualTo(taskId);
            }
            assertThat(receiver.received().get(1).body()).isEqualTo(receiver.received().get(0).body());
            await().atMost(Duration.ofSeconds(5)).until(() -> s.webhookAttempts().size() == 2); // recorded after the answer
            assertThat(s.webhookAttempts()).extracting(WebhookAttempt::status).containsExactly(500, 200);
        }
    }

    @Test
    void omittingOnlyTheEventKeepsThePipelineKey() {
        try (WebhookReceiver receiver = new WebhookReceiver();
             SandboxServer s = SandboxServer.start(WebhookDeliveryTest.fast(SandboxConfig.defaults().withDataDir(dir),
                     receiver).withWebhookOmit(List.of("event")))) {
            createTask(new TestClient(s));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
            JsonNode env = receiver.received().get(0).json();
            assertThat(env.has("event")).isFalse();
            assertThat(env.get("pipelineKey").asText()).isEqualTo(s.webhookAttempts().get(0).pipelineKey());
        }
    }

    @Test
    void badValuesAreRejected() {
        SandboxConfig c = SandboxConfig.defaults();
        assertThatThrownBy(() -> c.withFinishedStatusWord("running")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withFinishedStatusWord(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withWebhookOmit(List.of("data")))
                .hasMessage("webhookOmit may name only [pipelineKey, event], got 'data'");
    }
}
