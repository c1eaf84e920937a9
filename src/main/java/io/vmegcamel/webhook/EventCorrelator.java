package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.downstream.Outbox;
import io.vmegcamel.ingest.ExchangeKeys;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stored VMEG event into a task state change. Steps of the {@code process-event} route:
 * {@link #claim} the event (one processor at a time, across threads and replicas), {@link #correlate} it to our
 * task (VMEG taskId, else the taskRef we put in extraData) and apply VMEG's verdict with a compare-and-set
 * (a late or duplicate event never moves a task backwards), then {@link #done} or {@link #failed}.
 *
 * <p>Sets exchange properties {@link #OUTCOME} (finished, failed or none), {@link #TASK_REF}, {@link ExchangeKeys#JOB_ID}
 * and {@link #RESULT} (the result payload).
 */
public final class EventCorrelator {

    public static final String OUTCOME = "vmegEventOutcome";
    public static final String TASK_REF = "vmegTaskRef";
    public static final String RESULT = "vmegResult";
    public static final String ERROR = "vmegTaskError";
    public static final String MEDIA_TRANSLATION = "openapi-media-translation";

    private static final Logger LOG = LoggerFactory.getLogger(EventCorrelator.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Duration lease;
    private final Duration retryAfter;
    private final int maxAttempts;

    /**
     * @param lease      how long a claim protects an event being processed (longer than any download)
     * @param retryAfter wait before a failed event is processed again
     */
    public EventCorrelator(Ledger ledger, ObjectMapper json, Duration lease, Duration retryAfter, int maxAttempts) {
        this.ledger = ledger;
        this.json = json;
        this.lease = lease;
        this.retryAfter = retryAfter;
        this.maxAttempts = maxAttempts;
    }

    /** Ids of stored events that need a processing run (missed, failed earlier, or abandoned by a crash). */
    public List<Long> due() {
        Instant now = Instant.now();
        return ledger.events().due(now.minusSeconds(5), now.minus(retryAfter), maxAttempts, now.minus(lease), 100);
    }

    /** Sets property {@code vmegClaimed}: true when this exchange now owns the event. */
    public void claim(Exchange exchange) {
        long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        exchange.setProperty("vmegClaimed", ledger.events().claim(id, Instant.now().minus(lease)));
    }

    public void correlate(Exchange exchange) {
        StoredEvent event = ledger.events().get(exchange.getProperty(WebhookIntake.EVENT_ID, Long.class)).orElseThrow();
        exchange.setProperty(OUTCOME, "none");
        JsonNode body = parse(event.body());
        if (!MEDIA_TRANSLATION.equals(event.event())) {
            ignore(exchange, event, "no job of this bundle uses " + event.event());
            return;
        }
        JsonNode data = body.path("data");
        String vmegTaskId = data.path("taskId").asText(null);
        String taskRef = body.path("extraData").path("vmegCamel").path("taskRef").asText(null);
        Optional<Task> found = Optional.ofNullable(vmegTaskId).flatMap(ledger.tasks()::byVmegTaskId)
                .or(() -> Optional.ofNullable(taskRef).flatMap(ledger.tasks()::get));
        if (found.isEmpty()) {
            ignore(exchange, event, "task " + vmegTaskId + " is not one of this bundle's tasks");
            return;
        }
        Task task = found.get();
        if (task.vmegTaskId() != null && vmegTaskId != null && !task.vmegTaskId().equals(vmegTaskId)) {
            ignore(exchange, event, "extraData names task " + task.id() + ", which is VMEG task " + task.vmegTaskId()
                    + ", not " + vmegTaskId);
            return;
        }
        if (task.vmegTaskId() == null && vmegTaskId != null
                && ledger.tasks().confirmSubmitted(task.id(), vmegTaskId)) {
            ledger.history().record(task.jobId(), task.id(), "SUBMITTED", "taskId " + vmegTaskId
                    + " learnt from its " + event.origin());
        }
        exchange.setProperty(TASK_REF, task.id());
        exchange.setProperty(ExchangeKeys.JOB_ID, task.jobId());
        String status = data.path("status").asText("");
        int code = body.path("code").asInt(200);
        if ("failed".equals(status) || code != 200) {
            String error = "VMEG: task " + status + " (code " + code + ")"
                    + (body.path("message").asText("").isBlank() ? "" : ": " + body.path("message").asText());
            if (ledger.jdbc().inTransaction(() -> ledger.tasks().markOutcome(task.id(), TaskState.FAILED, error)
                    && Outbox.taskFailed(ledger, task.id()))) {
                ledger.history().record(task.jobId(), task.id(), "FAILED", error);
                LOG.warn("task {} ({} {}): {}", task.id(), task.targetLanguage(), vmegTaskId, error);
                exchange.setProperty(OUTCOME, "failed");
                exchange.setProperty(ERROR, error);
            }
        } else if ("finished".equals(status)) {
            if (ledger.tasks().markOutcome(task.id(), TaskState.FINISHED, null)) {
                ledger.history().record(task.jobId(), task.id(), "FINISHED", "from " + event.origin() + " "
                        + event.pipelineKey());
            }
            // also after a crash between FINISHED and DOWNLOADED: the download step checks the state
            exchange.setProperty(OUTCOME, "finished");
            exchange.setProperty(RESULT, data.path("result"));
        } else {
            ledger.history().record(task.jobId(), task.id(), "VMEG " + status, "no change (task is " + task.state() + ")");
        }
    }

    public void done(Exchange exchange) {
        long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        if (!"ignored".equals(exchange.getProperty("vmegEventState"))) {
            ledger.events().finish(id, StoredEvent.PROCESSED, null);
        }
    }

    /** The processing run failed; the sweeper retries later (up to the configured number of attempts). */
    public void failed(Exchange exchange) {
        Long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null ? "unknown" : cause.getMessage();
        if (id != null) {
            ledger.events().finish(id, StoredEvent.FAILED, error);
        }
        LOG.warn("event {} failed, will retry in {}: {}", id, retryAfter, error, cause);
    }

    private void ignore(Exchange exchange, StoredEvent event, String why) {
        ledger.events().finish(event.id(), StoredEvent.IGNORED, why);
        exchange.setProperty("vmegEventState", "ignored");
        LOG.info("event {} ({}) ignored: {}", event.pipelineKey(), event.event(), why);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
