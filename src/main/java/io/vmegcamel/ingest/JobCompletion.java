package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.downstream.Outbox;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a job once every task has ended: the source file leaves the processing folder for the archive (all
 * languages delivered) or the failed folder with an error report (some language failed), and the job summary
 * is written to the outbox. Safe to call any number of times from any thread: one caller wins the state change.
 */
public final class JobCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(JobCompletion.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Manifests manifests;
    private final Path archiveDir;
    private final Path failedDir;

    public JobCompletion(Ledger ledger, ObjectMapper json, Manifests manifests, Path archiveDir, Path failedDir) {
        this.ledger = ledger;
        this.json = json;
        this.manifests = manifests;
        this.archiveDir = archiveDir;
        this.failedDir = failedDir;
    }

    public void tryFinish(String jobId) {
        Job job = ledger.jobs().require(jobId);
        if (job.state() != JobState.PROCESSING) {
            return;
        }
        List<Task> tasks = ledger.tasks().currentForJob(jobId);
        if (tasks.isEmpty() || !tasks.stream().allMatch(t -> t.state().isTerminal())) {
            return;
        }
        boolean allDelivered = tasks.stream().allMatch(t -> t.state().isSuccess());
        JobState outcome = allDelivered ? JobState.COMPLETED : JobState.FAILED;
        if (!ledger.jdbc().inTransaction(() -> ledger.jobs().transition(jobId, JobState.PROCESSING, outcome)
                && Outbox.jobEnded(ledger, jobId, outcome))) {
            return; // another thread finished it
        }
        Path target;
        try {
            target = SourceFiles.moveWithSidecar(Path.of(job.location()), allDelivered ? archiveDir : failedDir);
            ledger.jobs().setLocation(jobId, target.toString());
        } catch (UncheckedIOException e) {
            // the results are safe in the outbox; a source moved away by hand must not block the job's end
            target = Path.of(job.location());
            ledger.history().record(jobId, null, "SOURCE NOT MOVED", e.getMessage());
            LOG.error("job {} ({}): {}", jobId, job.fileName(), e.getMessage());
        }
        if (!allDelivered) {
            List<String> failed = tasks.stream().filter(t -> !t.state().isSuccess())
                    .map(t -> t.targetLanguage() + (t.error() == null ? "" : " (" + t.error() + ")")).toList();
            FailureReport report = FailureReport.of(json, job.fileName(), Reason.TASK_FAILED,
                    "VMEG could not produce " + String.join(", ", failed),
                    "The other languages are in outbox/" + job.outputName() + "/. VMEG may have charged the failed "
                            + "task; dropping this file again does not buy it again. Contact VMEG support with the "
                            + "vmegTaskId below, or change the job spec (e.g. another option) to try anew.")
                    .job(jobId, tasks);
            report.writeNextTo(target, json);
            ledger.jobs().setState(jobId, JobState.FAILED, report.json().toString());
        }
        manifests.writeJobSummary(ledger.jobs().require(jobId), tasks);
        ledger.history().record(jobId, null, outcome.name(), "source moved to " + target);
        LOG.info("job {} ({}) {}: source moved to {}", jobId, job.fileName(), outcome, target);
    }
}
