package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.delivery.JsonFiles;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a dropped file goes. The file consumer does the move when the exchange ends (to the path in header
 * {@link ExchangeKeys#MOVE_TO}); this class picks that path, never one that exists (Camel would overwrite it),
 * writes the error report for failures, and afterwards moves the sidecar along.
 */
public final class SourceFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SourceFiles.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final JobCompletion completion;
    private final SourceMoves moves;
    private final InboxQuarantine quarantine;
    private final Path processingDir;
    private final Path failedDir;
    private final CostGuard costGuard;
    private final Path heldDir;

    public SourceFiles(Ledger ledger, ObjectMapper json, JobCompletion completion, SourceMoves moves,
            InboxQuarantine quarantine, CostGuard costGuard, Path processingDir, Path failedDir, Path heldDir) {
        this.costGuard = costGuard;
        this.heldDir = heldDir;
        this.ledger = ledger;
        this.json = json;
        this.completion = completion;
        this.moves = moves;
        this.quarantine = quarantine;
        this.processingDir = processingDir;
        this.failedDir = failedDir;
    }

    /**
     * A cost cap holds the job back: its unsent tasks wait as HELD, the file goes to the held folder (same
     * sub-folder) with {@code <file>.held.json} giving the estimate and the cap, until an operator runs
     * {@code jobs release} or {@code jobs give-up}.
     */
    public void toHeld(Exchange exchange) {
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        @SuppressWarnings("unchecked")
        List<String> taskIds = exchange.getProperty(ExchangeKeys.TASK_IDS, List.class);
        Job job = ledger.jobs().require(jobId);
        CostGuard.Verdict verdict = costGuard.check(jobId, taskIds);
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path target = moves.target(heldDir.resolve(folder(exchange)), fileName, jobId);
        ObjectNode report = json.createObjectNode();
        report.put("file", fileName);
        report.put("jobId", jobId);
        report.put("heldAt", Instant.now().toString());
        report.put("error", "COST_CAP");
        report.put("cap", verdict.cap());
        report.put("capCredits", verdict.capCredits());
        if ("per-day".equals(verdict.cap())) {
            report.put("creditsSubmittedToday", verdict.creditsToday());
        }
        report.put("message", job.fileName() + " was not submitted: " + verdict.why() + ". Nothing was bought.");
        CostGuard.describe(report.putObject("estimate"), verdict);
        report.put("whatToDo", "To buy it anyway: java -jar vmeg-camel.jar jobs release " + jobId
                + " (the file goes back to the inbox and is submitted, whatever the caps). To drop it: java -jar "
                + "vmeg-camel.jar jobs give-up " + jobId + " (the file goes to the failed folder).");
        ledger.jdbc().inTransaction(() -> {
            for (String taskId : taskIds) {
                ledger.tasks().transition(taskId, TaskState.PENDING, TaskState.HELD);
            }
            ledger.jobs().setState(jobId, JobState.HELD, report.toString());
            ledger.history().record(jobId, null, "HELD", report.path("message").asText());
            moves.begin(jobId, target);
            return null;
        });
        JsonFiles.write(json, heldReportOf(target), report);
        exchange.getMessage().setHeader(ExchangeKeys.MOVE_TO, target.toString());
        LOG.warn("{} -> {} (held by the cost guard): {}", fileName, target, verdict.why());
    }

    /** {@code <file>.held.json} next to a held file. */
    public static Path heldReportOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".held.json");
    }

    /** Every task is submitted: the file waits in the processing folder for the results. */
    public void toProcessing(Exchange exchange) {
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        Job job = ledger.jobs().require(jobId);
        Path target = moves.target(processingDir.resolve(folder(exchange)), job.outputName()
                + dotExtension(job.fileName()), jobId);
        ledger.jdbc().inTransaction(() -> {
            if (job.state() == JobState.RECEIVED || job.state() == JobState.UPLOADED) {
                ledger.jobs().setState(jobId, JobState.SUBMITTED, null);
            }
            moves.begin(jobId, target); // a crash after the file consumer's move: Repair finishes it
            return null;
        });
        exchange.getMessage().setHeader(ExchangeKeys.MOVE_TO, target.toString());
    }

    /**
     * The ingest failed (or the drop is a duplicate): failed folder, with an error report. Not while the bundle
     * stops: a failure then is the shutdown's, not the file's, so the file stays in the inbox (this throws, the
     * exchange fails, and the file consumer leaves the file where it is) and its job resumes at the next start.
     */
    public void toFailed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (exchange.getContext().isStopping()) {
            throw new IllegalStateException("stopping: " + fileName + " stays in the inbox and is taken again at the "
                    + "next start (" + failure + ")");
        }
        try {
            FailureReport report = FailureReport.of(json, fileName, failure);
            String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
            Path target = moves.target(failedDir.resolve(folder(exchange)), fileName, jobId);
            if (jobId != null) {
                report.job(jobId, ledger.tasks().currentForJob(jobId));
                ledger.jdbc().inTransaction(() -> {
                    if (!Reason.DUPLICATE.name().equals(report.reason())) {
                        ledger.jobs().setState(jobId, JobState.INGEST_FAILED, report.json().toString());
                        ledger.history().record(jobId, null, "INGEST_FAILED", report.json().path("message").asText());
                    }
                    moves.begin(jobId, target);
                    return null;
                });
            }
            report.writeNextTo(target, json);
            exchange.getMessage().setHeader(ExchangeKeys.MOVE_TO, target.toString());
            LOG.warn("{} -> {} ({}): {}", fileName, target, report.reason(), report.json().path("message").asText());
        } catch (RuntimeException e) {
            // not even the failure can be recorded: hold the file instead of failing it again at every poll
            quarantine.hold(Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)),
                    "its failure (" + failure + ") could not be reported: " + e.getMessage());
            throw e;
        }
    }

    /** Runs after the file consumer moved the file: sidecar along, ledger location, maybe finish the job. */
    public void afterMove(Exchange exchange) {
        String moveTo = exchange.getMessage().getHeader(ExchangeKeys.MOVE_TO, String.class);
        String original = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        try {
            if (moveTo == null || original == null) {
                return;
            }
            Path target = Path.of(moveTo);
            if (!Files.exists(target)) {
                LOG.error("{} was not moved to {}; it stays where it is", original, target);
                if (Files.exists(Path.of(original)) && !exchange.getContext().isStopping()) {
                    quarantine.hold(Path.of(original), "it could not be moved to " + target);
                }
                return;
            }
            if (jobId == null) {
                SourceMoves.moveWithSidecar(Path.of(original).toAbsolutePath(), target);
            } else {
                arrived(jobId, Path.of(original).toAbsolutePath(), target);
            }
        } finally {
            if (jobId != null) {
                moves.end(jobId);
            }
        }
    }

    /**
     * The file consumer moved the job's source from {@code from} to {@code target} (the recorded move): the sidecar
     * follows, the ledger learns the location, and a submitted job starts waiting for its results (which may have
     * come back already). Also what {@link Repair} does for a move a crash interrupted.
     */
    void arrived(String jobId, Path from, Path target) {
        SourceMoves.moveWithSidecar(from, target);
        // one commit: a job whose move is confirmed but that still says SUBMITTED is looked at by nobody (neither
        // the repair, which follows recorded moves, nor the completion, which waits for PROCESSING)
        boolean waiting = ledger.jdbc().inTransaction(() -> {
            ledger.jobs().moved(jobId, target.toString());
            return ledger.jobs().transition(jobId, JobState.SUBMITTED, JobState.PROCESSING);
        });
        if (waiting) {
            completion.tryFinish(jobId);
        }
    }

    /** The inbox sub-folder the file was taken from: the places it moves to keep it. */
    private static String folder(Exchange exchange) {
        return Intake.folderOf(exchange.getMessage().getHeader(Exchange.FILE_NAME, "", String.class));
    }

    /**
     * A submitted job whose source sits in the processing folder with its move confirmed, but which never started
     * waiting for its results (a crash between the two commits of a build before {@link #arrived} made them one):
     * it waits now, and finishes if its results are in. For {@link Repair}; true when the job was moved on.
     */
    boolean resumeWaiting(Job job) {
        Path location = Path.of(job.location()).toAbsolutePath().normalize();
        if (job.state() != JobState.SUBMITTED
                || !location.startsWith(processingDir.toAbsolutePath().normalize()) // or a sub-folder of it
                || ledger.jobs().movingTo(job.id()).isPresent() || !Files.exists(location)) {
            return false;
        }
        if (ledger.jobs().transition(job.id(), JobState.SUBMITTED, JobState.PROCESSING)) {
            completion.tryFinish(job.id());
            return true;
        }
        return false;
    }

    private static String dotExtension(String name) {
        String ext = MediaKind.extension(name);
        return ext.isEmpty() ? "" : name.substring(name.length() - ext.length() - 1);
    }
}
