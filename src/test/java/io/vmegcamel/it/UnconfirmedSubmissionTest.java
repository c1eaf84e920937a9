package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.app.Settings;
import io.vmegcamel.app.TaskCommands;
import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A create-async whose outcome is unknown (409, lost or garbled answer) and that no webhook names: the bundle
 * looks for the task in VMEG's task list; what it cannot prove waits for an operator, who links it or authorises
 * a new attempt. VMEG never sells a language twice on the bundle's own initiative.
 */
class UnconfirmedSubmissionTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.public-url", "http://127.0.0.1:9"); // no webhook ever arrives
        p.setProperty("vmeg.sandbox.task-duration", "1500ms");
        p.setProperty("vmeg.submission.confirm-after", "1s");
        p.setProperty("vmeg.reconcile.after", "2s");
        p.setProperty("vmeg.reconcile.interval-ms", "300");
        return p;
    }

    private Job job() {
        await().atMost(PATIENCE).until(() -> !ledger().jobs().recent(1).isEmpty());
        return ledger().jobs().recent(1).get(0);
    }

    private Task task() {
        return ledger().tasks().forJob(job().id()).get(0);
    }

    private List<RecordedRequest> creates() {
        return calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE);
    }

    /** Makes the ledger forget the task's VMEG id, as if create-async's answer had been lost. */
    private void loseAnswer(Task t, String state) {
        ledger().jdbc().update("UPDATE task SET state = ?, vmeg_task_id = NULL, error = ?, "
                        + "first_sent_at = COALESCE(first_sent_at, ?), updated_at = ? WHERE id = ?", state,
                "create-async -> 409: VMEG already has this task (key used)", Instant.now().minusSeconds(5),
                Instant.now().minusSeconds(5), t.id());
    }

    private String operator(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new TaskCommands(ledger(), context.getRegistry().lookupByNameAndType("settings", Settings.class),
                new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of(args));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        return text;
    }

    @Test
    void aTaskFoundInVmegsTaskListIsLinkedAndDelivered() {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> task().vmegTaskId() != null);
        String vmegTaskId = task().vmegTaskId();
        loseAnswer(task(), "SUBMITTING");

        awaitFile(env.archive().resolve("demo.mp4"));

        Task t = task();
        assertThat(t.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(t.vmegTaskId()).isEqualTo(vmegTaskId);
        assertThat(creates()).hasSize(1);
        assertThat(calls("GET", VmegPaths.TASK_LIST)).isNotEmpty();
        assertThat(ledger().history().forJob(t.jobId())).extracting(History.Entry::detail)
                .anyMatch(d -> d != null && d.startsWith("taskId " + vmegTaskId + " found in VMEG's task list"));
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
    }

    @Test
    void aTaskVmegDoesNotListWaitsForAnOperatorWhoAuthorisesANewAttempt() throws Exception {
        // VMEG answers 409 without having the task (its key used by a request it then lost): nothing to be found
        sandbox().injectFault("POST", VmegPaths.MEDIA_TRANSLATION_CREATE, 409, 409, "Idempotency key already used", 1);
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> job().state() == JobState.PROCESSING);
        loseAnswer(task(), "SUBMITTING");

        JsonNode report = readJson(awaitFile(env.failed().resolve("demo.mp4.error.json")));

        Task t = task();
        assertThat(t.state()).isEqualTo(TaskState.UNCONFIRMED);
        assertThat(report.path("error").asText()).isEqualTo("SUBMISSION_UNCONFIRMED");
        assertThat(report.path("message").asText()).contains("de-DE");
        assertThat(report.path("whatToDo").asText()).contains("tasks link", "tasks retry");
        assertThat(report.path("languages").get(0).path("taskRef").asText()).isEqualTo(t.id());
        assertThat(report.path("languages").get(0).path("state").asText()).isEqualTo("UNCONFIRMED");
        assertThat(creates()).hasSize(1).allMatch(r -> r.status() == 409);
        assertThat(operator("list")).contains(t.id(), "UNCONFIRMED", "demo.mp4");

        assertThat(operator("retry", t.id())).contains("back in the inbox");

        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(env.failed().resolve("demo.mp4.error.json")).doesNotExist();
        List<Task> attempts = ledger().tasks().forJob(t.jobId());
        assertThat(attempts).extracting(Task::attempt, Task::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(0, TaskState.REJECTED),
                org.assertj.core.groups.Tuple.tuple(1, TaskState.DOWNLOADED));
        assertThat(creates()).hasSize(2).extracting(r -> header(r, "X-Idempotency-Key")).doesNotHaveDuplicates();
        assertThat(creates().get(1).status()).isEqualTo(200);
    }

    @Test
    void anOperatorLinksAnUnconfirmedTaskToTheVmegTaskTheyFound() throws Exception {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> task().vmegTaskId() != null && job().state() == JobState.PROCESSING);
        String vmegTaskId = task().vmegTaskId();
        loseAnswer(task(), "UNCONFIRMED");

        assertThat(operator("link", task().id(), vmegTaskId)).contains("Linked task");

        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(task().state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(task().vmegTaskId()).isEqualTo(vmegTaskId);
        assertThat(creates()).hasSize(1);
    }

    @Test
    void theOperatorCannotLinkAVmegTaskTwiceNorRetryAKnownTask() throws Exception {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> task().vmegTaskId() != null);
        Task t = task();
        Settings settings = context.getRegistry().lookupByNameAndType("settings", Settings.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TaskCommands commands = new TaskCommands(ledger(), settings, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(commands.run(List.of("link", t.id(), t.vmegTaskId()))).isEqualTo(1);
        assertThat(commands.run(List.of("retry", t.id()))).isEqualTo(1);
        assertThat(commands.run(List.of("link", "no-such-task", "t_1"))).isEqualTo(1);
        assertThat(commands.run(List.of("frobnicate"))).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Refused: VMEG task " + t.vmegTaskId() + " is already linked to task " + t.id())
                .contains("only an UNCONFIRMED task can be retried")
                .contains("Refused: no task no-such-task in the ledger")
                .contains("usage: java -jar vmeg-camel.jar tasks");
    }
}
