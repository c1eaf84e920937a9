package io.vmegcamel.downstream;

import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import java.util.UUID;

/**
 * Where the state machine records an outcome event. Call it inside the transaction of the state change that
 * causes the event ({@code ledger.jdbc().inTransaction(...)}), and only when that compare-and-set succeeded: then
 * the event exists exactly when the state change does, whatever crashes afterwards. The event gets its id here,
 * once; the dispatcher builds its body and delivers it later ({@link Dispatcher}).
 */
public final class Outbox {

    private Outbox() {
    }

    /** FINISHED to DOWNLOADED: the task's deliverables are in the outbox. */
    public static boolean taskFinished(Ledger ledger, String taskId) {
        return task(ledger, EventTypes.TASK_FINISHED, taskId);
    }

    /** VMEG reported the task failed. */
    public static boolean taskFailed(Ledger ledger, String taskId) {
        return task(ledger, EventTypes.TASK_FAILED, taskId);
    }

    /** PROCESSING to COMPLETED or FAILED: every language of the job has ended. */
    public static boolean jobEnded(Ledger ledger, String jobId, JobState outcome) {
        String type = outcome == JobState.COMPLETED ? EventTypes.JOB_COMPLETED : EventTypes.JOB_FAILED;
        return record(ledger, type, jobId, null, ledger.jobs().require(jobId).fileName());
    }

    private static boolean task(Ledger ledger, String type, String taskId) {
        Task task = ledger.tasks().require(taskId);
        return record(ledger, type, task.jobId(), taskId, ledger.jobs().require(task.jobId()).fileName());
    }

    /** Always true, so that call sites read {@code transition(...) && Outbox.x(...)} inside one transaction. */
    private static boolean record(Ledger ledger, String type, String jobId, String taskId, String subject) {
        new OutboxStore(ledger).record(UUID.randomUUID().toString(), type, jobId, taskId, subject);
        return true;
    }
}
