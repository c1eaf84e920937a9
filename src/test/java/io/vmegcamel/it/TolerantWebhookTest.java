package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * VMEG's webhook schema requires only {@code data}: events without {@code pipelineKey} or {@code event} are
 * stored, deduplicated on a derived key, typed from {@code data.taskType}, and processed like any other.
 */
class TolerantWebhookTest extends BundleTestSupport {

    private static final String SECRET = "sandbox-webhook-secret";

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.public-url", "http://127.0.0.1:9"); // the sandbox's own webhooks never arrive
        p.setProperty("vmeg.reconcile.after", "1h");            // and nothing polls: only the test's webhook counts
        return p;
    }

    @Test
    void anEventWithoutPipelineKeyAndEventIsStoredOnceAndDelivers() throws Exception {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> !ledger().jobs().recent(1).isEmpty() && ledger().tasks()
                .forJob(ledger().jobs().recent(1).get(0).id()).stream().allMatch(t -> t.vmegTaskId() != null));
        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        await().atMost(PATIENCE).until(() -> sandbox().task(task.vmegTaskId()).orElseThrow().path("status").asText()
                .equals("finished"));
        ObjectNode event = json.createObjectNode().put("code", 200).put("message", "");
        event.set("data", sandbox().task(task.vmegTaskId()).orElseThrow()); // taskId, taskType vt, status, result
        String body = event.toString();

        HttpResponse<String> first = SignedWebhook.post(env, SECRET, body);
        HttpResponse<String> retry = SignedWebhook.post(env, SECRET, body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("{\"status\":\"accepted\"}"); // journaled; dropped as a duplicate
        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        assertThat(ledger().tasks().require(task.id()).state()).isEqualTo(TaskState.DOWNLOADED);
        await().atMost(PATIENCE).until(() -> ledger().events().forTask(task.vmegTaskId()).stream()
                .allMatch(e -> e.state().equals(StoredEvent.PROCESSED))); // the archive move comes just before
        assertThat(ledger().events().forTask(task.vmegTaskId()))
                .extracting(StoredEvent::pipelineKey, StoredEvent::event, StoredEvent::origin, StoredEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nokey:task:" + task.vmegTaskId() + ":finished",
                        "openapi-media-translation", "webhook", StoredEvent.PROCESSED));
    }

    @Test
    void withoutTaskIdTheBodyHashDeduplicatesAndAnUnknownTypeIsKeptButIgnored() throws Exception {
        String tts = "{\"code\":200,\"data\":{\"taskType\":\"tts\",\"results\":[]}}";
        String noType = "{\"code\":200,\"data\":{\"taskId\":\"t_x1\",\"status\":\"finished\"}}";
        String otherType = "{\"code\":200,\"data\":{\"taskId\":\"t_x2\",\"taskType\":\"st\"}}";

        assertThat(SignedWebhook.post(env, SECRET, tts).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(SignedWebhook.post(env, SECRET, tts).body()).isEqualTo("{\"status\":\"accepted\"}"); // again
        HttpResponse<String> untyped = SignedWebhook.post(env, SECRET, noType);
        HttpResponse<String> unknown = SignedWebhook.post(env, SECRET, otherType);

        assertThat(untyped.statusCode()).isEqualTo(200);
        assertThat(untyped.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(unknown.statusCode()).isEqualTo(200);
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(3);
        String ttsKey = "nokey:body:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(tts.getBytes(StandardCharsets.UTF_8)));
        await().atMost(PATIENCE).until(() -> ledger().events().byPipelineKey(ttsKey).orElseThrow().state()
                .equals(StoredEvent.IGNORED));
        StoredEvent byBody = ledger().events().byPipelineKey(ttsKey).orElseThrow();
        assertThat(byBody.event()).isEqualTo("openapi-tts");
        assertThat(byBody.body()).isEqualTo(tts);
        assertThat(byBody.error()).isEqualTo("no job of this bundle uses openapi-tts");
        StoredEvent x1 = ledger().events().forTask("t_x1").get(0);
        assertThat(x1.pipelineKey()).isEqualTo("nokey:task:t_x1:finished");
        assertThat(x1.event()).isEqualTo("unknown");
        assertThat(x1.state()).isEqualTo(StoredEvent.IGNORED);
        assertThat(x1.error()).isEqualTo("no event, and data.taskType is missing: the type cannot be told");
        StoredEvent x2 = ledger().events().forTask("t_x2").get(0);
        assertThat(x2.pipelineKey()).isEqualTo("nokey:task:t_x2:");
        assertThat(x2.state()).isEqualTo(StoredEvent.IGNORED);
        assertThat(x2.error()).isEqualTo("no event, and data.taskType 'st' names no known product: "
                + "the type cannot be told");
    }

    @Test
    void aRealKeyThatLooksLikeOneOfOursIsKeptApart() throws Exception {
        String spoof = "{\"event\":\"openapi-tts\",\"pipelineKey\":\"nokey:task:t_y:\",\"data\":{\"taskId\":\"t_y\"}}";
        String derived = "{\"event\":\"openapi-tts\",\"data\":{\"taskId\":\"t_y\"}}";

        assertThat(SignedWebhook.post(env, SECRET, spoof).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(SignedWebhook.post(env, SECRET, derived).body()).isEqualTo("{\"status\":\"accepted\"}");
        awaitWebhooksStored();

        assertThat(ledger().events().forTask("t_y")).extracting(StoredEvent::pipelineKey)
                .containsExactly("vmeg:nokey:task:t_y:", "nokey:task:t_y:");
    }
}
