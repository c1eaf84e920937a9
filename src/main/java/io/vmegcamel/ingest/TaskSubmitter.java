package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger side of create-async ({@code routes/submit.camel.yaml} makes the call): commits the intent and the
 * first send time before the call, builds the request, and classifies the answer so that a task is never paid
 * twice. Refused only after a documented refusal (HTTP 400/401/402/404/413/422 with VMEG's envelope); after
 * anything else the request may have created the task, so it stays SUBMITTING with its key (resent only with
 * that key, and never more than the key window after the first send) until a webhook or the reconciler names it.
 */
public final class TaskSubmitter {

    /** Exchange property: the ledger id of the task being submitted. */
    public static final String TASK_REF = "vmegTaskRef";
    private static final Logger LOG = LoggerFactory.getLogger(TaskSubmitter.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Duration keyWindow;
    private final Clock clock;

    /** @param keyWindow how long VMEG surely remembers a key (its TTL is 24 h), counted from the first send */
    public TaskSubmitter(Ledger ledger, ObjectMapper json, Duration keyWindow, Clock clock) {
        this.ledger = ledger;
        this.json = json;
        this.keyWindow = keyWindow;
        this.clock = clock;
    }

    /**
     * Commits the intent before the call: PENDING becomes SUBMITTING and the first send time is stored (once).
     * Returns whether create-async is to be sent: not for a task already answered, nor for a key VMEG may have
     * forgotten (first sent more than the key window ago: a resend could buy the task twice).
     */
    public boolean commitIntent(@ExchangeProperty(TASK_REF) String taskId) {
        Instant now = clock.instant();
        return ledger.jdbc().inTransaction(() -> { // one commit for the state and the send time
            Task task = ledger.tasks().require(taskId);
            if (task.state() == TaskState.PENDING) {
                ledger.tasks().transition(taskId, TaskState.PENDING, TaskState.SUBMITTING);
            } else if (task.state() != TaskState.SUBMITTING) {
                return false; // answered meanwhile
            } else {
                Instant firstSent = task.firstSentAt() != null ? task.firstSentAt() : task.createdAt();
                if (firstSent != null && firstSent.isBefore(now.minus(keyWindow))) {
                    String note = "create-async was first sent " + firstSent + ", more than " + keyWindow.toHours()
                            + " h ago, without a recorded answer; VMEG may have forgotten its key, so it is not "
                            + "resent. Check tasks/list.";
                    note(task, () -> ledger.tasks().noteError(taskId, note), "NOT RESENT", note);
                    LOG.warn("task {} ({}): {}", taskId, task.targetLanguage(), note);
                    return false;
                }
            }
            ledger.tasks().markSent(taskId, now);
            return true;
        });
    }

    /** The task's idempotency key, derived and committed when the task was planned. */
    public String key(@ExchangeProperty(TASK_REF) String taskId) {
        return ledger.tasks().require(taskId).idempotencyKey();
    }

    /** The create-async body: material, languages, options, and extraData naming the job and task. */
    public ObjectNode request(@ExchangeProperty(TASK_REF) String taskId) {
        Task task = ledger.tasks().require(taskId);
        Job job = ledger.jobs().require(task.jobId());
        JobSpec spec = JobSpec.fromJson(job.specJson(), json);
        ObjectNode body = json.createObjectNode();
        body.put("taskType", spec.taskType());
        body.putObject("source").put("materialId", job.materialId());
        ObjectNode language = body.putObject("language");
        language.put("source", spec.sourceLanguage());
        language.put("target", task.targetLanguage());
        body.set("options", spec.options());
        ObjectNode extraData = spec.extraData().deepCopy();
        extraData.putObject("vmegCamel").put("jobId", job.id()).put("taskRef", task.id()).put("file", job.fileName());
        body.set("extraData", extraData);
        return body;
    }

    /** HTTP 2xx and code 200: records VMEG's taskId. Without one, the outcome is unknown (the task may exist). */
    public void answered(@Body JsonNode data, @ExchangeProperty(TASK_REF) String taskId) {
        Task task = ledger.tasks().require(taskId);
        Job job = ledger.jobs().require(task.jobId());
        String vmegTaskId = data.path("taskId").asText("");
        if (vmegTaskId.isBlank()) {
            unknown(task, "SUBMIT UNKNOWN", "create-async -> 200 without data.taskId: VMEG may have created the task; "
                    + "waiting for its webhook (same key kept)");
            return;
        }
        ledger.jdbc().inTransaction(() -> { // the answer and its history row together
            ledger.tasks().markSubmitted(taskId, vmegTaskId, data.path("taskType").asText(null));
            ledger.history().record(job.id(), taskId, "SUBMITTED", "create-async -> 200, taskId " + vmegTaskId
                    + ", taskType " + data.path("taskType").asText("?"));
            return null;
        });
        LOG.info("{} -> {}: VMEG task {} ({})", job.fileName(), task.targetLanguage(), vmegTaskId,
                data.path("status").asText("?"));
    }

    /**
     * create-async failed. A documented refusal: REJECTED (a later drop may try again with a new key), and the
     * failure goes on. Retryable (no answer, 408, 429, 5xx): noted, and the failure goes on so the ingest route
     * resends with the same key. Anything else (409, a 2xx that is not the envelope, 3xx, another status): VMEG
     * may have the task; noted and the file waits for the webhook, exactly as after a 409.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        VmegException e = VmegException.in(failure);
        Task task = ledger.tasks().require(exchange.getProperty(TASK_REF, String.class));
        if (e == null) {
            throw failure; // not an answer from VMEG (a bug, the ledger): nothing to classify
        }
        if (e.isDocumentedRefusal()) {
            note(task, () -> ledger.tasks().markRejected(task.id(), e.getMessage()), "REJECTED", e.getMessage());
            throw e;
        }
        if (e.isKeyAlreadyUsed()) {
            // the first create-async with this key got through; its webhook (extraData.vmegCamel.taskRef) tells the taskId
            unknown(task, "SUBMIT 409", "create-async -> 409: VMEG already has this task (key used); waiting for its webhook");
            return;
        }
        if (e.isRetryable()) {
            note(task, () -> ledger.tasks().noteError(task.id(), e.getMessage()), "SUBMIT FAILED",
                    e.getMessage() + " (will resend, same key)");
            throw e;
        }
        unknown(task, "SUBMIT UNKNOWN", e.getMessage() + ": VMEG may have created the task; waiting for its webhook "
                + "(same key kept)");
    }

    private void unknown(Task task, String what, String note) {
        note(task, () -> ledger.tasks().noteError(task.id(), note), what, note);
        LOG.warn("task {} ({}): {}", task.id(), task.targetLanguage(), note);
    }

    /** A change to the task and its history row, in one commit. */
    private void note(Task task, Runnable change, String what, String detail) {
        ledger.jdbc().inTransaction(() -> {
            change.run();
            ledger.history().record(task.jobId(), task.id(), what, detail);
            return null;
        });
    }
}
