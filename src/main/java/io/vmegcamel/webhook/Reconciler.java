package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.TaskStatus;
import io.vmegcamel.vmeg.VmegClient;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks are hints, not the only source: for a submitted task that has heard nothing for a while, asks
 * tasks/detail. When VMEG reports it ended, stores what it said as an event (origin "poll"), which then takes
 * the same path as a webhook. Tasks still running are asked again one interval later.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Ledger ledger;
    private final VmegClient vmeg;
    private final ObjectMapper json;
    private final Duration quietFor;

    /** @param quietFor how long a submitted task must have been silent before it is polled (and between polls) */
    public Reconciler(Ledger ledger, VmegClient vmeg, ObjectMapper json, Duration quietFor) {
        this.ledger = ledger;
        this.vmeg = vmeg;
        this.json = json;
        this.quietFor = quietFor;
    }

    /** Polls the quiet tasks; returns the ids of the events stored for the ones that ended. */
    public List<Long> poll() {
        List<Long> events = new ArrayList<>();
        for (Task task : ledger.tasks().stale(Set.of(TaskState.SUBMITTED), Instant.now().minus(quietFor), 50)) {
            ledger.tasks().touch(task.id());
            JsonNode data;
            int code;
            String message;
            try {
                data = vmeg.get(VmegPaths.TASK_DETAIL, Map.of("taskId", task.vmegTaskId()));
                TaskStatus status = TaskStatus.of(data.path("status").asText(""));
                if (status == TaskStatus.RUNNING) {
                    continue;
                }
                code = status == TaskStatus.FINISHED ? 200 : 500;
                message = status == TaskStatus.FAILED ? "tasks/detail reports the task failed" : "";
            } catch (VmegException e) {
                if (e.httpStatus() != 404 && e.code() != 404) {
                    LOG.warn("task {} ({}): tasks/detail failed: {}", task.id(), task.vmegTaskId(), e.getMessage());
                    continue;
                }
                // VMEG no longer knows the task (deleted, or it belongs to another API key): it will never end
                data = json.createObjectNode().put("taskId", task.vmegTaskId()).put("status", "failed");
                code = 404;
                message = "VMEG does not know this task any more (tasks/detail: 404)";
            }
            String status = data.path("status").asText();
            ObjectNode body = json.createObjectNode();
            body.put("code", code);
            body.put("event", EventCorrelator.MEDIA_TRANSLATION);
            body.put("pipelineKey", "poll:" + task.vmegTaskId() + ":" + status);
            body.put("message", message);
            body.putObject("extraData").putObject("vmegCamel").put("taskRef", task.id());
            body.set("data", data);
            ledger.events().insert(body.path("pipelineKey").asText(), EventCorrelator.MEDIA_TRANSLATION,
                    task.vmegTaskId(), "poll", body.toString()).ifPresent(events::add);
            ledger.history().record(task.jobId(), task.id(), "POLLED", "no webhook for " + quietFor.toMinutes()
                    + " min; tasks/detail says " + (code == 404 ? "404" : status));
            LOG.info("task {} ({}): no webhook yet, tasks/detail says {}", task.id(), task.vmegTaskId(),
                    code == 404 ? "404 (unknown task)" : status);
        }
        return events;
    }
}
