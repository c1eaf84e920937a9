package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ingest.JobSpec;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles tasks whose create-async outcome is unknown (a 409, a lost or garbled answer, a 5xx that may have used
 * the key) when no webhook has named them: after {@code confirmAfter} the {@code confirm-submissions} route looks
 * through VMEG's task list ({@link ConfirmationScan}). A proven VMEG task is linked; a task that cannot be proven
 * becomes UNCONFIRMED, and its job ends with SUBMISSION_UNCONFIRMED for an operator to decide. Never a second
 * purchase on its own.
 */
public final class SubmissionConfirmer {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionConfirmer.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration confirmAfter;
    private final Duration giveUpAfter;

    /**
     * @param confirmAfter how long after the first send an unknown outcome is looked for at VMEG (and between looks)
     * @param giveUpAfter  how long a VMEG task that might still turn out to be ours is waited for
     */
    public SubmissionConfirmer(Ledger ledger, ObjectMapper json, Clock clock, Duration confirmAfter,
                               Duration giveUpAfter) {
        this.ledger = ledger;
        this.json = json;
        this.clock = clock;
        this.confirmAfter = confirmAfter;
        this.giveUpAfter = giveUpAfter;
    }

    /** A scan for the tasks due for a look, or null when there are none. */
    public ConfirmationScan due() {
        Instant now = clock.instant();
        List<Task> tasks = ledger.tasks().unconfirmed(now.minus(confirmAfter), now.minus(confirmAfter), 50);
        if (tasks.isEmpty()) {
            return null;
        }
        Map<String, String> types = new HashMap<>();
        for (Task t : tasks) {
            ledger.tasks().touch(t.id());
            types.put(t.id(), JobSpec.fromJson(ledger.jobs().require(t.jobId()).specJson(), json).taskType());
        }
        return new ConfirmationScan(tasks, types);
    }

    public void addPage(ConfirmationScan scan, JsonNode data) {
        scan.addPage(data, id -> ledger.tasks().byVmegTaskId(id).isPresent());
    }

    public void addDetail(ConfirmationScan scan, JsonNode data) {
        scan.addDetail(data);
    }

    public String detailQuery(String vmegTaskId) {
        return "taskId=" + URLEncoder.encode(vmegTaskId, StandardCharsets.UTF_8);
    }

    /** Links, waits or gives up, per task; returns the ids of the jobs whose end may now be decided. */
    public List<String> decide(ConfirmationScan scan) {
        Set<String> jobs = new LinkedHashSet<>();
        Instant now = clock.instant();
        for (ConfirmationScan.Verdict v : scan.verdicts()) {
            Task t = v.task();
            String sent = t.firstSentAt() == null ? "?" : t.firstSentAt().toString();
            switch (v.outcome()) {
                case PROVEN -> {
                    String vmegTaskId = v.vmegTaskIds().get(0);
                    if (ledger.tasks().confirmSubmitted(t.id(), vmegTaskId)) {
                        ledger.history().record(t.jobId(), t.id(), "SUBMITTED", "taskId " + vmegTaskId
                                + " found in VMEG's task list (created after the first send at " + sent
                                + ", result in " + t.targetLanguage() + ")");
                        LOG.info("task {} ({}): create-async outcome confirmed from tasks/list: VMEG task {}",
                                t.id(), t.targetLanguage(), vmegTaskId);
                    }
                }
                case POSSIBLE -> {
                    if (t.firstSentAt() != null && t.firstSentAt().plus(giveUpAfter).isBefore(now)) {
                        giveUp(t, "a VMEG task that may be this one has not ended within " + giveUpAfter.toHours()
                                + " h, so it cannot be proven", jobs);
                    } else {
                        ledger.history().record(t.jobId(), t.id(), "UNCONFIRMED?", "create-async outcome unknown; "
                                + "VMEG lists running tasks that may be this one, looking again later");
                    }
                }
                case AMBIGUOUS -> giveUp(t, "several VMEG tasks match (" + String.join(", ", v.vmegTaskIds())
                        + "); which one is this task cannot be told", jobs);
                case NOT_FOUND -> giveUp(t, "VMEG lists no " + t.targetLanguage() + " task created after the "
                        + "first send at " + sent, jobs);
            }
        }
        return new ArrayList<>(jobs);
    }

    private void giveUp(Task t, String why, Set<String> jobs) {
        String error = "SUBMISSION_UNCONFIRMED: create-async outcome unknown (" + (t.error() == null ? "no answer"
                : t.error()) + "); " + why;
        if (ledger.tasks().markUnconfirmed(t.id(), error)) {
            ledger.history().record(t.jobId(), t.id(), "UNCONFIRMED", error);
            LOG.warn("task {} ({}): {}; an operator decides: tasks link or tasks retry", t.id(), t.targetLanguage(),
                    error);
            jobs.add(t.jobId());
        }
    }
}
