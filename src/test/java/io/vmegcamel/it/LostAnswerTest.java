package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.app.VmegConfiguration;
import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer.After;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

/**
 * A lost create-async answer (VMEG created the task, the connection dropped before its answer) and the 23 h rule:
 * the key is resent, unchanged, only while VMEG surely still remembers it, counted from the first send
 * (task.first_sent_at), which a resend never moves.
 */
class LostAnswerTest extends BundleTestSupport {

    private static final String CREATE = VmegPaths.MEDIA_TRANSLATION_CREATE;
    private final MovableClock clock = new MovableClock();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.retry.max-redeliveries", "0"); // the drop fails the file at once: the "crash"
        p.setProperty("vmeg.sandbox.task-duration", "10m"); // no webhook during the test
        return p;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        // runs before the bundle's own configuration, which then measures the key window with this clock
        configuration.addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext camelContext) {
                camelContext.getRegistry().bind(VmegConfiguration.CLOCK, clock);
            }
        });
    }

    @Test
    void theKeyIsResentWithinTheWindowAndTheFirstSendTimeStays() throws Exception {
        Task lost = dropAndLoseTheAnswer();

        clock.advance(Duration.ofHours(22));
        dropAgain();
        await().atMost(PATIENCE).until(() -> calls("POST", CREATE).size() == 2
                && calls("POST", CREATE).get(1).status() == 409);

        List<RecordedRequest> creates = calls("POST", CREATE);
        assertThat(creates).allSatisfy(c -> assertThat(header(c, "X-Idempotency-Key")).isEqualTo(lost.idempotencyKey()));
        await().atMost(PATIENCE).until(() -> history(lost).contains("SUBMIT 409"));
        Task task = ledger().tasks().require(lost.id());
        assertThat(task.state()).isEqualTo(TaskState.SUBMITTING);
        assertThat(task.firstSentAt()).isEqualTo(lost.firstSentAt()); // the resend did not move it
        assertThat(task.error()).contains("409");
    }

    @Test
    void theKeyIsNotResentMoreThan23HoursAfterTheFirstSend() throws Exception {
        Task lost = dropAndLoseTheAnswer();

        clock.advance(Duration.ofHours(23).plusMinutes(1));
        dropAgain();
        await().atMost(PATIENCE).until(() -> history(lost).contains("NOT RESENT"));

        assertThat(calls("POST", CREATE)).hasSize(1); // never sent again: VMEG may have forgotten the key
        Task task = ledger().tasks().require(lost.id());
        assertThat(task.state()).isEqualTo(TaskState.SUBMITTING);
        assertThat(task.idempotencyKey()).isEqualTo(lost.idempotencyKey());
        assertThat(task.firstSentAt()).isEqualTo(lost.firstSentAt());
        assertThat(task.error()).contains("first sent " + lost.firstSentAt()).contains("not resent");
    }

    /** The first create-async reaches VMEG (task created), its answer is lost; the file fails. */
    private Task dropAndLoseTheAnswer() {
        sandbox().injectAfter("POST", CREATE, After.dropConnection(), 1);
        Instant before = clock.instant();
        drop("sample.mp4", "demo.mp4");
        awaitFile(env.failed().resolve("demo.mp4.error.json"));

        Task task = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id()).get(0);
        assertThat(task.state()).isEqualTo(TaskState.SUBMITTING);
        assertThat(task.error()).contains("no answer");
        assertThat(task.firstSentAt()).isBetween(before, clock.instant());
        assertThat(context.getRegistry().lookupByName(VmegConfiguration.CLOCK)).isSameAs(clock);
        assertThat(calls("POST", CREATE)).hasSize(1);
        return task;
    }

    /** The operator drops the failed file again (its job is resumed with the same task and key). */
    private void dropAgain() throws Exception {
        Files.delete(env.failed().resolve("demo.mp4.error.json"));
        Path failed = env.failed().resolve("demo.mp4");
        dropBytes("demo.mp4", Files.readAllBytes(failed));
        Files.delete(failed);
    }

    private List<String> history(Task task) {
        return ledger().history().forJob(ledger().tasks().require(task.id()).jobId()).stream()
                .map(History.Entry::what).toList();
    }
}
