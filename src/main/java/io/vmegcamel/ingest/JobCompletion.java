package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.delivery.Publication;
import io.vmegcamel.downstream.Outbox;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    private final SourceMoves moves;
    private final Path archiveDir;
    private final Path failedDir;
    private final Publication publication;

    /** {@code publication} tells where a result folder is for the user (the remote outbox's address, if any). */
    public JobCompletion(Ledger ledger, ObjectMapper json, Manifests manifests, SourceMoves moves, Path archiveDir,
            Path failedDir, Publication publication) {
        this.ledger = ledger;
        this.json = json;
        this.manifests = manifests;
        this.moves = moves;
        this.archiveDir = archiveDir;
        this.failedDir = failedDir;
        this.publication = publication;
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
        JobState outcome = tasks.stream().allMatch(t -> t.state().isSuccess()) ? JobState.COMPLETED : JobState.FAILED;
        Path source = Path.of(job.location());
        Path dir = (outcome == JobState.COMPLETED ? archiveDir : failedDir).resolve(ledger.jobs().folder(jobId));
        // a reopened job's source may already be in the failed folder: there it stays, its report is rewritten
        Path target = source.getParent().equals(dir) ? source
                : moves.target(dir, source.getFileName().toString(), jobId);
        // the final state and the move it calls for commit together, before any file is touched
        boolean won = ledger.jdbc().inTransaction(() -> {
            if (!ledger.jobs().transition(jobId, JobState.PROCESSING, outcome)) {
                return false; // another thread finished it
            }
            moves.begin(jobId, target);
            Outbox.jobEnded(ledger, jobId, outcome);
            return true;
        });
        if (won) {
            try {
                finishFiles(jobId);
            } finally {
                moves.end(jobId);
            }
        }
    }

    /**
     * The file work of a finished job ({@code COMPLETED} or {@code FAILED} with a recorded move): source and sidecar
     * to the recorded target, error report, job summary, then the move is confirmed. Each step is idempotent, so
     * {@link Repair} calls this again for a job a crash interrupted here.
     */
    void finishFiles(String jobId) {
        Job job = ledger.jobs().require(jobId);
        String movingTo = ledger.jobs().movingTo(jobId).orElse(null);
        if (movingTo == null || (job.state() != JobState.COMPLETED && job.state() != JobState.FAILED)) {
            return;
        }
        List<Task> tasks = ledger.tasks().currentForJob(jobId);
        Path source = Path.of(job.location());
        Path target = Path.of(movingTo);
        try {
            if (Files.exists(source) && !source.equals(target) && Files.exists(target)) {
                // the recorded name was taken meanwhile (by hand): another free one
                target = moves.target(target.getParent(), source.getFileName().toString(), jobId);
                ledger.jobs().setMovingTo(jobId, target.toString());
            }
            if (!Files.exists(source) && !Files.exists(target)) {
                throw new UncheckedIOException(new NoSuchFileException(source.toString(), null,
                        "the source is neither here nor at " + target));
            }
            SourceMoves.moveWithSidecar(source, target);
            SourceMoves.deleteReportOf(source, target);
        } catch (UncheckedIOException e) {
            // the results are safe in the outbox; a source moved away by hand must not block the job's end
            target = source;
            ledger.history().record(jobId, null, "SOURCE NOT MOVED", e.getMessage());
            LOG.error("job {} ({}): {}", jobId, job.fileName(), e.getMessage());
        }
        Path at = target;
        Job moved = ledger.jdbc().inTransaction(() -> {
            ledger.jobs().setLocation(jobId, at.toString());
            return ledger.jobs().require(jobId);
        });
        // the summary before the report: a watcher that sees the report finds the summary
        manifests.writeJobSummary(moved, tasks);
        if (job.state() == JobState.FAILED) {
            FailureReport report = report(job, tasks).job(jobId, tasks);
            report.writeNextTo(at, json);
            ledger.jobs().setState(jobId, JobState.FAILED, report.json().toString());
        }
        ledger.jdbc().inTransaction(() -> {
            ledger.jobs().moved(jobId, at.toString());
            ledger.history().record(jobId, null, job.state().name(), "source moved to " + at);
            return null;
        });
        LOG.info("job {} ({}) {}: source moved to {}", jobId, job.fileName(), job.state(), at);
    }

    /** Unconfirmed submissions first: they need an operator's decision, failed tasks do not. */
    private FailureReport report(Job job, List<Task> tasks) {
        List<Task> unconfirmed = tasks.stream().filter(t -> t.state() == TaskState.UNCONFIRMED).toList();
        if (!unconfirmed.isEmpty()) {
            return FailureReport.of(json, job.fileName(), Reason.SUBMISSION_UNCONFIRMED,
                    "VMEG may or may not have created the task for " + describe(unconfirmed) + ": its create-async "
                            + "answer was lost or unreadable, and neither a webhook nor VMEG's task list proved it. "
                            + "The bundle never buys a task twice on its own, so it stopped here.",
                    "Look for the task in your VMEG account (tasks created around the time in 'languages'). If VMEG "
                            + "has it, link it and the results will follow: java -jar vmeg-camel.jar tasks link "
                            + "<taskRef> <vmegTaskId>. If VMEG does not have it, authorise a new attempt (this may "
                            + "buy the language again if VMEG does have it after all): java -jar vmeg-camel.jar "
                            + "tasks retry <taskRef>. The taskRef of each language is in 'languages'.");
        }
        List<Task> failed = tasks.stream().filter(t -> !t.state().isSuccess()).toList();
        return FailureReport.of(json, job.fileName(), Reason.TASK_FAILED,
                "VMEG could not produce " + describe(failed),
                "The other languages are in " + publication.address(manifests.jobDir(job))
                        + "/. VMEG may have charged the failed "
                        + "task; dropping this file again does not buy it again. Contact VMEG support with the "
                        + "vmegTaskId below, or change the job spec (e.g. another option) to try anew.");
    }

    private static String describe(List<Task> tasks) {
        return String.join(", ", tasks.stream()
                .map(t -> t.targetLanguage() + (t.error() == null ? "" : " (" + t.error() + ")")).toList());
    }
}
