package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.History;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegPaths;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A webhook for a task the ledger holds as refused, unconfirmed or failed is never dropped: it proves VMEG has the
 * task, so the task and its results are recovered and the job's end is decided anew.
 */
class WebhookRecoveryTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.sandbox.task-duration", "2s"); // time to put the task in the state under test
        return p;
    }

    private Job job() {
        return ledger().jobs().recent(1).get(0);
    }

    @ParameterizedTest
    @CsvSource({"REJECTED, INGEST_FAILED, true", "UNCONFIRMED, FAILED, true", "FAILED, FAILED, false"})
    void aWebhookRecoversATaskTheLedgerHadGivenUp(String taskState, String jobState, boolean forgetId) {
        drop("sample.mp4", "demo.mp4");
        await().atMost(PATIENCE).until(() -> !ledger().jobs().recent(1).isEmpty()
                && job().state() == JobState.PROCESSING);
        Task task = ledger().tasks().forJob(job().id()).get(0);
        String vmegTaskId = task.vmegTaskId();
        ledger().jdbc().inTransaction(() -> {
            ledger().jdbc().update("UPDATE task SET state = ?, vmeg_task_id = " + (forgetId ? "NULL" : "vmeg_task_id")
                    + ", error = 'given up' WHERE id = ?", taskState, task.id());
            return ledger().jdbc().update("UPDATE job SET state = ? WHERE id = ?", jobState, job().id());
        });

        awaitFile(env.archive().resolve("demo.mp4"));

        Task recovered = ledger().tasks().require(task.id());
        assertThat(recovered.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(recovered.vmegTaskId()).isEqualTo(vmegTaskId);
        assertThat(job().state()).isEqualTo(JobState.COMPLETED);
        assertThat(env.outbox().resolve("demo/de-DE/demo.de-DE.mp4")).exists();
        assertThat(ledger().history().forJob(job().id())).extracting(History.Entry::what).contains("REOPENED");
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(1);
    }
}
