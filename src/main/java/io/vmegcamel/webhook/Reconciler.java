package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.TaskStatus;
import io.vmegcamel.vmeg.VmegException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks are hints, not the only source: a submitted task that has heard nothing for a while is looked up
 * with tasks/detail ({@code routes/reconcile.camel.yaml} makes the call). When VMEG reports it ended, what it said
 * is stored as an event (origin "poll"), which then takes the same path as a webhook. Tasks still running are
 * asked again one interval later.
 */
public final class Reconciler {

    /** Exchange property: the ledger id of the task being looked up. */
    public static final String TASK_REF = "vmegTaskRef";
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Duration quietFor;

    /** @param quietFor how long a submitted task must have been silent before it is polled (and between polls) */
    public Reconciler(Ledger ledger, ObjectMapper json, Duration quietFor) {
        this.ledger = ledger;
        this.json = json;
        this.quietFor = quietFor;
    }

    /** The submitted tasks silent for too long (marked as looked at now); their ledger ids. */
    public List<String> quietTasks() {
        List<Task> quiet = ledger.tasks().stale(Set.of(TaskState.SUBMITTED), Instant.now().minus(quietFor), 50);
        quiet.forEach(t -> ledger.tasks().touch(t.id()));
        return quiet.stream().map(Task::id).toList();
    }

    /** The tasks/detail query for the task (encoded). */
    public String detailQuery(@ExchangeProperty(TASK_REF) String taskId) {
        return "taskId=" + URLEncoder.encode(ledger.tasks().require(taskId).vmegTaskId(), StandardCharsets.UTF_8);
    }

    /** tasks/detail answered: an ended task becomes a stored event (its id); a running one gives null. */
    public Long detail(@Body JsonNode data, @ExchangeProperty(TASK_REF) String taskId) {
        TaskStatus status = TaskStatus.of(data.path("status").asText(""));
        if (status == TaskStatus.RUNNING) {
            return null;
        }
        int code = status == TaskStatus.FINISHED ? 200 : 500;
        String message = status == TaskStatus.FAILED ? "tasks/detail reports the task failed" : "";
        return store(ledger.tasks().require(taskId), data, code, message);
    }

    /** tasks/detail failed: a 404 means VMEG no longer knows the task and it will never end; else try later. */
    public Long detailFailed(Exchange exchange) {
        Task task = ledger.tasks().require(exchange.getProperty(TASK_REF, String.class));
        VmegException e = VmegException.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (e == null || (e.httpStatus() != 404 && e.code() != 404)) {
            LOG.warn("task {} ({}): tasks/detail failed: {}", task.id(), task.vmegTaskId(),
                    e != null ? e.getMessage() : String.valueOf(exchange.getProperty(Exchange.EXCEPTION_CAUGHT)));
            return null;
        }
        // VMEG no longer knows the task (deleted, or it belongs to another API key)
        ObjectNode data = json.createObjectNode().put("taskId", task.vmegTaskId()).put("status", "failed");
        return store(task, data, 404, "VMEG does not know this task any more (tasks/detail: 404)");
    }

    private Long store(Task task, JsonNode data, int code, String message) {
        String status = data.path("status").asText();
        ObjectNode body = json.createObjectNode();
        body.put("code", code);
        body.put("event", EventCorrelator.MEDIA_TRANSLATION);
        body.put("pipelineKey", "poll:" + task.vmegTaskId() + ":" + status);
        body.put("message", message);
        body.putObject("extraData").putObject("vmegCamel").put("taskRef", task.id());
        body.set("data", data);
        Long event = ledger.events().insert(body.path("pipelineKey").asText(), EventCorrelator.MEDIA_TRANSLATION,
                task.vmegTaskId(), "poll", body.toString()).orElse(null);
        ledger.history().record(task.jobId(), task.id(), "POLLED", "no webhook for " + quietFor.toMinutes()
                + " min; tasks/detail says " + (code == 404 ? "404" : status));
        LOG.info("task {} ({}): no webhook yet, tasks/detail says {}", task.id(), task.vmegTaskId(),
                code == 404 ? "404 (unknown task)" : status);
        return event;
    }
}
