package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobCost;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * Before anything is submitted: estimates the job's credits from its material's duration ({@link CreditEstimate})
 * times the languages still to submit, and decides whether a cap holds it back: the per-job cap, or the per-day cap
 * (UTC day; the estimates of the tasks first sent that day plus this job). A job an operator released is not held
 * again. With a cap set and no duration reported, the job is held: a guard never guesses low. It only ever
 * prevents a submission, never causes one.
 */
public final class CostGuard {

    /** The guard's answer for one job. {@code cap} is null when nothing holds it back. */
    public record Verdict(long durationMs, long creditsPerLanguage, List<String> languages, boolean lipsync,
                          long estimatedCredits, String cap, long capCredits, long creditsToday, String why) {
        public boolean holds() {
            return cap != null;
        }
    }

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Clock clock;
    private final long maxPerJob;
    private final long maxPerDay;

    public CostGuard(Ledger ledger, ObjectMapper json, Clock clock, long maxPerJob, long maxPerDay) {
        this.ledger = ledger;
        this.json = json;
        this.clock = clock;
        this.maxPerJob = maxPerJob;
        this.maxPerDay = maxPerDay;
    }

    /** Records the estimate on the job (manifests and job summary show it); runs before every submission. */
    public void estimate(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                         @ExchangeProperty(ExchangeKeys.TASK_IDS) List<String> taskIds) {
        Verdict v = check(jobId, taskIds);
        if (v.durationMs() >= 0) {
            ledger.jobs().setEstimate(jobId, v.creditsPerLanguage(), v.estimatedCredits());
        }
    }

    /** True when a cap holds the job back: its tasks must not be submitted. */
    public boolean overCap(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                           @ExchangeProperty(ExchangeKeys.TASK_IDS) List<String> taskIds) {
        return check(jobId, taskIds).holds();
    }

    public Verdict check(String jobId, List<String> taskIds) {
        Job job = ledger.jobs().require(jobId);
        JobCost cost = ledger.jobs().cost(jobId);
        JobSpec spec = JobSpec.fromJson(job.specJson(), json);
        boolean lipsync = CreditEstimate.lipsync(spec.options());
        // only tasks never sent can be held: a resend of a sent one reuses its key and buys nothing new
        List<String> languages = taskIds.stream().map(id -> ledger.tasks().require(id))
                .filter(t -> t.state() == TaskState.PENDING || t.state() == TaskState.HELD)
                .map(Task::targetLanguage).toList();
        Instant dayStart = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
        long today = maxPerDay > 0 ? ledger.jobs().creditsSentSince(dayStart, jobId) : 0;
        if (cost.durationMs() == null) {
            boolean capped = (maxPerJob > 0 || maxPerDay > 0) && !languages.isEmpty() && cost.releasedAt() == null;
            return new Verdict(-1, -1, languages, lipsync, -1, capped ? "duration-unknown" : null,
                    maxPerJob > 0 ? maxPerJob : maxPerDay, today, capped ? "VMEG reported no duration for the "
                    + "material, so its credits cannot be estimated" : null);
        }
        long perLanguage = CreditEstimate.perLanguage(cost.durationMs(), lipsync);
        long estimate = perLanguage * languages.size();
        String cap = null;
        long capCredits = 0;
        String why = null;
        if (cost.releasedAt() == null && estimate > 0) {
            if (maxPerJob > 0 && estimate > maxPerJob) {
                cap = "per-job";
                capCredits = maxPerJob;
                why = "the estimate of " + estimate + " credits is over the per-job cap of " + maxPerJob
                        + " (vmeg.cost.max-credits-per-job)";
            } else if (maxPerDay > 0 && today + estimate > maxPerDay) {
                cap = "per-day";
                capCredits = maxPerDay;
                why = "the estimate of " + estimate + " credits and the " + today + " credits estimated for tasks "
                        + "submitted today (UTC) are over the per-day cap of " + maxPerDay
                        + " (vmeg.cost.max-credits-per-day)";
            }
        }
        return new Verdict(cost.durationMs(), perLanguage, languages, lipsync, estimate, cap, capCredits, today, why);
    }

    /** The estimate as the held report and the manifests show it. */
    public static ObjectNode describe(ObjectNode node, Verdict v) {
        if (v.durationMs() >= 0) {
            node.put("durationMs", v.durationMs());
            node.put("startedMinutes", CreditEstimate.minutes(v.durationMs()));
            node.put("creditsPerLanguage", v.creditsPerLanguage());
        }
        node.put("lipsync", v.lipsync());
        node.putArray("languages").addAll(v.languages().stream()
                .map(l -> (com.fasterxml.jackson.databind.JsonNode) node.textNode(l)).toList());
        if (v.estimatedCredits() >= 0) {
            node.put("estimatedCredits", v.estimatedCredits());
        }
        node.put("pricing", "60 credits per started minute of the material, +60 with lip sync (the safe reading of "
                + "VMEG's docs, which also say +30), per target language");
        return node;
    }
}
