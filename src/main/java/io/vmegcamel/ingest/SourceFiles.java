package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Path processingDir;
    private final Path failedDir;

    public SourceFiles(Ledger ledger, ObjectMapper json, JobCompletion completion, Path processingDir, Path failedDir) {
        this.ledger = ledger;
        this.json = json;
        this.completion = completion;
        this.processingDir = processingDir;
        this.failedDir = failedDir;
    }

    /** Every task is submitted: the file waits in the processing folder for the results. */
    public void toProcessing(Exchange exchange) {
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        Job job = ledger.jobs().require(jobId);
        if (job.state() == JobState.RECEIVED || job.state() == JobState.UPLOADED) {
            ledger.jobs().setState(jobId, JobState.SUBMITTED, null);
        }
        String name = job.outputName() + dotExtension(job.fileName());
        exchange.getMessage().setHeader(ExchangeKeys.MOVE_TO, uniqueTarget(processingDir, name).toString());
        exchange.setProperty(ExchangeKeys.OUTCOME, "processing");
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
        FailureReport report = FailureReport.of(json, fileName, failure);
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        if (jobId != null) {
            report.job(jobId, ledger.tasks().currentForJob(jobId));
            if (!Reason.DUPLICATE.name().equals(report.reason())) {
                ledger.jobs().setState(jobId, JobState.INGEST_FAILED, report.json().toString());
                ledger.history().record(jobId, null, "INGEST_FAILED", report.json().path("message").asText());
            }
        }
        Path target = uniqueTarget(failedDir, fileName);
        report.writeNextTo(target, json);
        exchange.getMessage().setHeader(ExchangeKeys.MOVE_TO, target.toString());
        exchange.setProperty(ExchangeKeys.OUTCOME, "failed");
        LOG.warn("{} -> {} ({}): {}", fileName, target, report.reason(), report.json().path("message").asText());
    }

    /** Runs after the file consumer moved the file: sidecar along, ledger location, maybe finish the job. */
    public void afterMove(Exchange exchange) {
        String moveTo = exchange.getMessage().getHeader(ExchangeKeys.MOVE_TO, String.class);
        String original = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        if (moveTo == null || original == null) {
            return;
        }
        Path target = Path.of(moveTo);
        if (!Files.exists(target)) {
            LOG.error("{} was not moved to {}; it stays where it is", original, target);
            return;
        }
        Path sidecar = JobSpecs.sidecarOf(Path.of(original).toAbsolutePath());
        if (Files.isRegularFile(sidecar)) {
            move(sidecar, JobSpecs.sidecarOf(target));
        }
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        if (jobId != null) {
            ledger.jobs().setLocation(jobId, target.toString());
            if ("processing".equals(exchange.getProperty(ExchangeKeys.OUTCOME))
                    && ledger.jobs().transition(jobId, JobState.SUBMITTED, JobState.PROCESSING)) {
                completion.tryFinish(jobId); // the results may have come back before the file was moved
            }
        }
    }

    /** Moves a file and its sidecar (if any) into {@code dir}, keeping the name unless taken; returns the new path. */
    public static Path moveWithSidecar(Path file, Path dir) {
        Path target = uniqueTarget(dir, file.getFileName().toString());
        move(file, target);
        Path sidecar = JobSpecs.sidecarOf(file);
        if (Files.isRegularFile(sidecar)) {
            move(sidecar, JobSpecs.sidecarOf(target));
        }
        return target;
    }

    /** A source leaving the place where its error report was written takes the stale report away. */
    public static void deleteReportOf(Path from, Path to) {
        if (!from.equals(to)) {
            try {
                Files.deleteIfExists(from.resolveSibling(from.getFileName() + ".error.json"));
            } catch (IOException e) {
                LOG.warn("cannot delete the old error report of {}: {}", from, e.getMessage());
            }
        }
    }

    /** {@code dir/name}, or {@code dir/stem-2.ext}, {@code -3}... when taken (by a file or its error report). */
    static Path uniqueTarget(Path dir, String name) {
        String ext = dotExtension(name);
        String stem = name.substring(0, name.length() - ext.length());
        for (int n = 1; ; n++) {
            Path candidate = dir.resolve(n == 1 ? name : stem + "-" + n + ext);
            if (!Files.exists(candidate) && !Files.exists(candidate.resolveSibling(candidate.getFileName() + ".error.json"))) {
                return candidate;
            }
        }
    }

    private static String dotExtension(String name) {
        String ext = MediaKind.extension(name);
        return ext.isEmpty() ? "" : name.substring(name.length() - ext.length() - 1);
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
