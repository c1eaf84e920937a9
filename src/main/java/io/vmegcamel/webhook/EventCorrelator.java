package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.DownloadRefusedException;
import io.vmegcamel.downstream.Outbox;
import io.vmegcamel.ingest.ExchangeKeys;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
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
    private final EventLeases leases;
    private final Duration lease;
    private final Duration retryAfter;
    private final int maxAttempts;

    /**
     * @param leases     renews the lease of the events being processed here (downloads can take hours)
     * @param lease      how long a claim protects an event without renewal
     * @param retryAfter wait before a failed event is processed again
     */
    public EventCorrelator(Ledger ledger, ObjectMapper json, EventLeases leases, Duration lease, Duration retryAfter,
                           int maxAttempts) {
        this.ledger = ledger;
        this.json = json;
        this.leases = leases;
        this.lease = lease;
        this.retryAfter = retryAfter;
        this.maxAttempts = maxAttempts;
    }

    /** Ids of stored events that need a processing run (missed, failed earlier, or abandoned by a crash). */
    public List<Long> due() {
        Instant now = Instant.now();
        return ledger.events().due(now.minusSeconds(5), now.minus(retryAfter), maxAttempts, now.minus(lease), 100);
    }

    /**
     * Whether the sweeper goes on with {@code page} (from {@link #due}): not when it is empty, nor after 50 pages
     * in one run (the next run goes on). {@code pagesDone} is the loop's index, unset before the first page.
     */
    public boolean anotherPage(List<Long> page, Integer pagesDone) {
        return !page.isEmpty() && (pagesDone == null || pagesDone < 49);
    }

    /** Sets property {@code vmegClaimed}: true when this exchange now owns the event. */
    public void claim(Exchange exchange) {
        long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        boolean claimed = ledger.events().claim(id, Instant.now().minus(lease));
        if (claimed) {
            // renewed while this run lasts; released by done/failed, at the latest when the exchange ends
            leases.hold(id);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange ended) {
                    leases.release(id);
                }
            });
        }
        exchange.setProperty("vmegClaimed", claimed);
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
            // a 409, a lost or garbled answer, or even a refusal: VMEG has the task after all, and it is ours
            ledger.history().record(task.jobId(), task.id(), "SUBMITTED", "taskId " + vmegTaskId
                    + " learnt from its " + event.origin() + (task.state() == TaskState.SUBMITTING ? ""
                    : " (the task was " + task.state() + ": VMEG created it all the same)"));
            if (task.state() == TaskState.REJECTED) {
                LOG.warn("task {} ({}): VMEG refused create-async but created task {} all the same; recovering it",
                        task.id(), task.targetLanguage(), vmegTaskId);
            }
        }
        exchange.setProperty(TASK_REF, task.id());
        exchange.setProperty(ExchangeKeys.JOB_ID, task.jobId());
        String status = data.path("status").asText("");
        int code = body.path("code").asInt(200);
        if (TaskStatus.of(status) == TaskStatus.FAILED || code != 200) {
            String error = "VMEG: task " + status + " (code " + code + ")"
                    + (body.path("message").asText("").isBlank() ? "" : ": " + body.path("message").asText());
            if (ledger.jdbc().inTransaction(() -> ledger.tasks().markOutcome(task.id(), TaskState.FAILED, error)
                    && Outbox.taskFailed(ledger, task.id()))) {
                ledger.history().record(task.jobId(), task.id(), "FAILED", error);
                reopenIfEnded(task);
                LOG.warn("task {} ({} {}): {}", task.id(), task.targetLanguage(), vmegTaskId, error);
                exchange.setProperty(OUTCOME, "failed");
                exchange.setProperty(ERROR, error);
            }
        } else if (TaskStatus.of(status) == TaskStatus.FINISHED) {
            if (ledger.tasks().markOutcome(task.id(), TaskState.FINISHED, null)) {
                ledger.history().record(task.jobId(), task.id(), "FINISHED", "from " + event.origin() + " "
                        + event.pipelineKey());
                reopenIfEnded(task);
            }
            // also after a crash between FINISHED and DOWNLOADED: the download step checks the state
            exchange.setProperty(OUTCOME, "finished");
            exchange.setProperty(RESULT, data.path("result"));
        } else {
            ledger.history().record(task.jobId(), task.id(), "VMEG " + status, "no change (task is " + task.state() + ")");
        }
    }

    /** A job that ended while one of its tasks was unknown or failed waits again: its end is decided anew. */
    private void reopenIfEnded(Task task) {
        if (ledger.jobs().reopen(task.jobId())) {
            ledger.history().record(task.jobId(), task.id(), "REOPENED", "task " + task.targetLanguage()
                    + " turned out alive at VMEG");
            LOG.info("job {}: reopened, task {} ({}) turned out alive at VMEG", task.jobId(), task.id(),
                    task.targetLanguage());
        }
    }

    public void done(Exchange exchange) {
        long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        if (!"ignored".equals(exchange.getProperty("vmegEventState"))) {
            ledger.events().finish(id, StoredEvent.PROCESSED, null);
        }
        leases.release(id);
    }

    /** The processing run failed; the sweeper retries later (up to the configured number of attempts). */
    public void failed(Exchange exchange) {
        Long id = exchange.getProperty(WebhookIntake.EVENT_ID, Long.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the step's own exception, not the wrapper of an EIP such as split (its message says nothing)
        Throwable shown = DownloadRefusedException.in(cause) != null ? DownloadRefusedException.in(cause)
                : io.vmegcamel.vmeg.VmegException.in(cause) != null ? io.vmegcamel.vmeg.VmegException.in(cause) : cause;
        String error = shown == null ? "unknown" : shown.getMessage();
        DownloadRefusedException refused = DownloadRefusedException.in(cause);
        if (refused != null) {
            // retrying cannot help until an operator changes a setting: stop now, loudly
            if (id != null) {
                ledger.events().giveUp(id, refused.getMessage(), maxAttempts);
                leases.release(id);
            }
            LOG.error("event {} failed for good, not retried: {}", id, refused.getMessage());
            return;
        }
        if (id != null) {
            ledger.events().finish(id, StoredEvent.FAILED, error);
            leases.release(id);
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
