package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegClient;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits one planned task: commits the intent (PENDING to SUBMITTING) before calling create-async with the
 * task's derived idempotency key, then records VMEG's taskId. A resend after a crash or a lost answer uses the
 * same key, so VMEG answers 409 instead of creating a second task; the task then waits for its webhook, whose
 * extraData names it.
 */
public final class TaskSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSubmitter.class);

    private final Ledger ledger;
    private final VmegClient vmeg;
    private final ObjectMapper json;
    private final Duration keyWindow;

    /** @param keyWindow how long VMEG surely remembers a key (its TTL is 24 h); no resend after that */
    public TaskSubmitter(Ledger ledger, VmegClient vmeg, ObjectMapper json, Duration keyWindow) {
        this.ledger = ledger;
        this.vmeg = vmeg;
        this.json = json;
        this.keyWindow = keyWindow;
    }

    public void submit(String taskId) {
        Task task = ledger.tasks().require(taskId);
        if (task.state() == TaskState.PENDING) {
            ledger.tasks().transition(taskId, TaskState.PENDING, TaskState.SUBMITTING);
        } else if (task.state() != TaskState.SUBMITTING) {
            return; // answered meanwhile
        } else if (task.updatedAt().isBefore(Instant.now().minus(keyWindow))) {
            String note = "create-async may have been sent more than " + keyWindow.toHours() + " h ago without a "
                    + "recorded answer; VMEG may have forgotten its key, so it is not resent. Check tasks/list.";
            ledger.tasks().noteError(taskId, note);
            ledger.history().record(task.jobId(), taskId, "NOT RESENT", note);
            LOG.warn("task {} ({}): {}", taskId, task.targetLanguage(), note);
            return;
        }
        Job job = ledger.jobs().require(task.jobId());
        ObjectNode request = request(job, task);
        try {
            JsonNode data = vmeg.post(VmegPaths.MEDIA_TRANSLATION_CREATE, task.idempotencyKey(), request);
            String vmegTaskId = data.path("taskId").asText(null);
            if (vmegTaskId == null) {
                throw new VmegException("POST " + VmegPaths.MEDIA_TRANSLATION_CREATE, 200, 200,
                        "answer without data.taskId", null, null);
            }
            ledger.tasks().markSubmitted(taskId, vmegTaskId, data.path("taskType").asText(null));
            ledger.history().record(job.id(), taskId, "SUBMITTED", "create-async -> 200, taskId " + vmegTaskId
                    + ", taskType " + data.path("taskType").asText("?"));
            LOG.info("{} -> {}: VMEG task {} ({})", job.fileName(), task.targetLanguage(), vmegTaskId,
                    data.path("status").asText("?"));
        } catch (VmegException e) {
            if (e.isKeyAlreadyUsed()) {
                // the first create-async with this key got through; its webhook (extraData.vmegCamel.taskRef) tells the taskId
                String note = "create-async -> 409: VMEG already has this task (key used); waiting for its webhook";
                ledger.tasks().noteError(taskId, note);
                ledger.history().record(job.id(), taskId, "SUBMIT 409", note);
                LOG.warn("{} -> {}: {}", job.fileName(), task.targetLanguage(), note);
                return;
            }
            if (e.isDefinitive()) {
                ledger.tasks().markRejected(taskId, e.getMessage());
                ledger.history().record(job.id(), taskId, "REJECTED", e.getMessage());
            } else {
                ledger.tasks().noteError(taskId, e.getMessage());
                ledger.history().record(job.id(), taskId, "SUBMIT FAILED", e.getMessage() + " (will resend, same key)");
            }
            throw e;
        }
    }

    private ObjectNode request(Job job, Task task) {
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
}
