package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer.After;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Never pay twice: whatever create-async answers, the task is refused (and may be bought again with a new key)
 * only after a documented refusal. After any other answer VMEG may have created it (here it always did: the
 * sandbox processes the call and only replaces its answer), so the task keeps its key and waits for the webhook,
 * which names it through extraData: one task at VMEG, delivered once.
 */
class SubmissionOutcomeTest extends BundleTestSupport {

    private static final String CREATE = VmegPaths.MEDIA_TRANSLATION_CREATE;

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        // long enough to see the task waiting in SUBMITTING before VMEG's webhook names it
        p.setProperty("vmeg.sandbox.task-duration", "6s");
        return p;
    }

    @Test
    void aGarbled2xxKeepsTheTaskAndItsKeyUntilTheWebhookNamesIt() {
        sandbox().injectAfter("POST", CREATE, After.status(200, "<html>502 Bad Gateway</html>"), 1);
        assertWaitedAndDeliveredOnce("SUBMIT UNKNOWN", List.of(200), "HTTP 200");
    }

    @Test
    void a2xxWithoutTaskIdKeepsTheTaskAndItsKeyUntilTheWebhookNamesIt() {
        sandbox().injectAfter("POST", CREATE,
                After.status(200, "{\"code\":200,\"message\":\"success\",\"data\":{\"status\":\"pending\"}}"), 1);
        assertWaitedAndDeliveredOnce("SUBMIT UNKNOWN", List.of(200), "without data.taskId");
    }

    @Test
    void a5xxThatUsedUpTheKeyIsResentWithTheSameKeyAndGets409() {
        sandbox().injectAfter("POST", CREATE,
                After.status(502, "{\"code\":502,\"message\":\"upstream failed\",\"data\":null}"), 1);
        assertWaitedAndDeliveredOnce("SUBMIT 409", List.of(502, 409), "409");
    }

    @Test
    void a408IsResentWithTheSameKey() {
        sandbox().injectAfter("POST", CREATE, After.status(408, "{\"code\":408,\"message\":\"timeout\"}"), 1);
        assertWaitedAndDeliveredOnce("SUBMIT 409", List.of(408, 409), "409");
    }

    @Test
    void a3xxIsNotARefusal() {
        sandbox().injectAfter("POST", CREATE, After.status(302, ""), 1);
        assertWaitedAndDeliveredOnce("SUBMIT UNKNOWN", List.of(302), "HTTP 302");
    }

    @Test
    void anUnknownStatusIsNotARefusal() {
        sandbox().injectAfter("POST", CREATE, After.status(299, "{\"code\":299,\"message\":\"?\"}"), 1);
        assertWaitedAndDeliveredOnce("SUBMIT UNKNOWN", List.of(299), "HTTP 299");
    }

    @Test
    void aDocumented422IsARefusal() {
        sandbox().injectFault("POST", CREATE, 422, 422, "source language cannot be processed", 1);
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.failed().resolve("demo.mp4.error.json"));

        Task task = onlyTask();
        assertThat(task.state()).isEqualTo(TaskState.REJECTED);
        assertThat(task.error()).contains("HTTP 422").contains("source language cannot be processed");
        assertThat(calls("POST", CREATE)).extracting(RecordedRequest::status).containsExactly(422);
        assertThat(readJson(env.failed().resolve("demo.mp4.error.json")).path("message").asText())
                .contains("422");
    }

    /** One create-async answered as given, then the task waits with its key; the webhook delivers it once. */
    private void assertWaitedAndDeliveredOnce(String waited, List<Integer> statuses, String why) {
        drop("sample.mp4", "demo.mp4");
        // it waits: SUBMITTING, same key, error saying why
        await().atMost(PATIENCE).until(() -> ledger().jobs().recent(1).stream().findFirst()
                .map(j -> ledger().history().forJob(j.id()).stream().anyMatch(e -> e.what().equals(waited)))
                .orElse(false));
        Task waiting = onlyTask();
        if (waiting.state() == TaskState.SUBMITTING) { // the webhook may already have named it
            assertThat(waiting.error()).contains(why);
            assertThat(waiting.vmegTaskId()).isNull();
        }

        awaitFile(env.archive().resolve("demo.mp4"));
        Task task = onlyTask();
        Job job = ledger().jobs().require(task.jobId());
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(task.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(task.attempt()).isZero();
        assertThat(task.vmegTaskId()).startsWith("t_");
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();

        List<RecordedRequest> creates = calls("POST", CREATE);
        assertThat(creates).extracting(RecordedRequest::status).containsExactlyElementsOf(statuses);
        assertThat(creates).allSatisfy(c -> assertThat(header(c, "X-Idempotency-Key")).isEqualTo(task.idempotencyKey()));
        // exactly one task at VMEG: every webhook VMEG sent was about the one task the ledger holds
        assertThat(sandbox().webhookAttempts()).isNotEmpty()
                .allSatisfy(w -> assertThat(w.taskId()).isEqualTo(task.vmegTaskId()));
        List<String> what = ledger().history().forJob(job.id()).stream().map(History.Entry::what).toList();
        assertThat(what).contains(waited).doesNotContain("REJECTED");
        assertThat(what.stream().filter("DOWNLOADED"::equals)).hasSize(1);
    }

    private Task onlyTask() {
        List<Job> jobs = ledger().jobs().recent(10);
        assertThat(jobs).hasSize(1);
        List<Task> tasks = ledger().tasks().forJob(jobs.get(0).id());
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }
}
