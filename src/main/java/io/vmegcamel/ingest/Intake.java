package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.FileNames;
import io.vmegcamel.ingest.ContentDigest.Digest;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.IdempotencyKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step of the ingest flow: looks at a dropped file (type, size, job spec, streamed MD5) and registers it
 * in the ledger with one task per target language, each with its idempotency key, before anything is sent to
 * VMEG. A language already bought for the same content and spec is not planned again; a drop with nothing left
 * to buy is a duplicate.
 */
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final String LOCKED_CONTENT = "vmegLockedContent";

    private final Ledger ledger;
    private final JobSpecs jobSpecs;
    private final ObjectMapper json;
    private final ContentLocks contentLocks = new ContentLocks();

    public Intake(Ledger ledger, JobSpecs jobSpecs, ObjectMapper json) {
        this.ledger = ledger;
        this.jobSpecs = jobSpecs;
        this.json = json;
    }

    public void register(Exchange exchange) throws InterruptedException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
        String name = file.getFileName().toString();
        MediaKind kind = MediaKind.of(name).orElseThrow(() -> new RejectedFileException(Reason.UNSUPPORTED_FILE_TYPE,
                name + " is not a media file the bundle sends to VMEG (supported: " + MediaKind.supported() + ")",
                "Drop a video or audio file with one of these extensions. Sidecar files must be named <media file>"
                        + JobSpecs.SIDECAR_SUFFIX + "."));
        if (size(file) == 0) {
            throw new RejectedFileException(Reason.EMPTY_FILE, name + " is empty (0 bytes)",
                    "Drop the complete file again; if it is copied in slowly, copy it under a name starting with '.' "
                            + "and rename it when the copy is complete.");
        }
        String folder = folderOf(exchange.getMessage().getHeader(Exchange.FILE_NAME, name, String.class));
        JobSpecs.Resolved resolved = jobSpecs.resolve(folder, file, kind);
        Digest digest = ContentDigest.md5(file);
        contentLocks.acquire(digest.md5Hex()); // released by release(), when the exchange is done with the file
        exchange.setProperty(LOCKED_CONTENT, digest.md5Hex());
        Plan plan = ledger.jdbc().inTransaction(() -> {
            Plan p = plan(file, kind, resolved, digest);
            ledger.jobs().setFolder(p.jobId(), folder); // processing, archive, failed and held keep it
            return p;
        });
        exchange.setProperty(ExchangeKeys.JOB_ID, plan.jobId());
        exchange.setProperty(ExchangeKeys.TASK_IDS, plan.toSubmit());
        if (plan.isDuplicate()) {
            throw duplicate(name, plan.alreadyBought());
        }
        LOG.info("{}: job {} ({} {} bytes, md5 {}, spec from {}), {} task(s) to submit{}", name, plan.jobId(),
                kind.label(), digest.size(), digest.md5Hex(), resolved.source(), plan.toSubmit().size(),
                plan.alreadyBought().isEmpty() ? "" : ", already bought: " + describe(plan.alreadyBought()));
    }

    /** The end of the file's ingest (after its move): another drop of the same content may go on. */
    public void release(Exchange exchange) {
        String md5 = exchange.getProperty(LOCKED_CONTENT, String.class);
        if (md5 != null) {
            exchange.removeProperty(LOCKED_CONTENT);
            contentLocks.release(md5);
        }
    }

    private record Plan(String jobId, List<String> toSubmit, List<String> mine, List<Task> alreadyBought) {
        boolean isDuplicate() {
            return toSubmit.isEmpty() && mine.isEmpty();
        }
    }

    private Plan plan(Path file, MediaKind kind, JobSpecs.Resolved resolved, Digest digest) {
        String name = file.getFileName().toString();
        String specJson = resolved.spec().toJson(json).toString();
        // an interrupted ingest resumes with the spec recorded then; a failed one only if the spec is unchanged
        Optional<Job> previous = ledger.jobs().findResumable(digest.md5Hex(), name)
                .filter(j -> j.state().isInterrupted() || j.specJson().equals(specJson));
        Job job;
        if (previous.isPresent()) {
            job = previous.get();
            ledger.jobs().setLocation(job.id(), file.toString());
            if (job.state() == JobState.INGEST_FAILED) {
                ledger.jobs().setState(job.id(), job.materialId() == null ? JobState.RECEIVED : JobState.UPLOADED, null);
            }
            ledger.history().record(job.id(), null, "RESUMED", "dropped again (job was " + job.state() + ")");
            LOG.info("{}: resuming job {} (was {})", name, job.id(), job.state());
        } else {
            JobSpec spec = resolved.spec();
            job = new Job(UUID.randomUUID().toString(), name, null, file.toString(), digest.size(), digest.md5Hex(),
                    kind.label(), specJson, resolved.source(), spec.taskSpecHash(json), null,
                    JobState.RECEIVED, null, null, null);
            ledger.jobs().insert(job);
            ledger.history().record(job.id(), null, "RECEIVED", name + ", " + digest.size() + " bytes, md5 "
                    + digest.md5Hex() + ", spec from " + resolved.source());
        }
        JobSpec spec = JobSpec.fromJson(job.specJson(), json);
        List<String> toSubmit = new ArrayList<>();
        List<String> mine = new ArrayList<>();
        List<Task> alreadyBought = new ArrayList<>();
        for (String language : spec.targetLanguages()) {
            Optional<Task> latest = ledger.tasks().latestAttempt(job.contentMd5(), job.specHash(), language);
            if (latest.isEmpty() || latest.get().state() == TaskState.REJECTED) {
                int attempt = latest.map(t -> t.attempt() + 1).orElse(0);
                toSubmit.add(newTask(job, language, attempt));
            } else if (isUnanswered(latest.get().state())) {
                // planned by an interrupted run and never sent, or sent without a recorded answer: same key again
                // (TaskSubmitter refuses the resend once VMEG may have forgotten the key)
                Task task = latest.get();
                if (!task.jobId().equals(job.id())) {
                    ledger.tasks().adopt(task.id(), job.id());
                }
                toSubmit.add(task.id());
            } else if (latest.get().jobId().equals(job.id())) {
                mine.add(latest.get().id());
            } else {
                alreadyBought.add(latest.get());
            }
        }
        if (toSubmit.isEmpty() && mine.isEmpty()) {
            ledger.jobs().setState(job.id(), JobState.DUPLICATE, null);
            ledger.history().record(job.id(), null, "DUPLICATE", describe(alreadyBought));
        } else if (job.outputName() == null) {
            ledger.jobs().assignOutputName(job.id(), outputBase(name));
        }
        return new Plan(job.id(), toSubmit, mine, alreadyBought);
    }

    private static boolean isUnanswered(TaskState state) {
        return state == TaskState.PENDING || state == TaskState.HELD || state == TaskState.SUBMITTING;
    }

    private String newTask(Job job, String language, int attempt) {
        String key = IdempotencyKeys.forTask(job.contentMd5(), job.specHash(), language, attempt);
        Task task = new Task(UUID.randomUUID().toString(), job.id(), language, job.contentMd5(), job.specHash(),
                attempt, key, TaskState.PENDING, null, null, null, null, null, null, null, null);
        ledger.tasks().insert(task);
        ledger.history().record(job.id(), task.id(), "PENDING", language + ", attempt " + attempt + ", key " + key);
        return task.id();
    }

    private RejectedFileException duplicate(String name, List<Task> bought) {
        Task first = bought.get(0);
        Job earlier = ledger.jobs().require(first.jobId());
        return new RejectedFileException(Reason.DUPLICATE,
                name + " has the same content and job spec as " + earlier.fileName() + " (job " + earlier.id()
                        + "): every target language is already bought (" + describe(bought) + "). No VMEG task was "
                        + "created and nothing was charged again."
                        + (earlier.outputName() == null ? "" : " The results are in outbox/" + earlier.outputName() + "/."),
                "Nothing, if the file was dropped twice by accident. To get another language, list it in the sidecar's "
                        + "targetLanguages (languages already done are not bought again); to translate again on purpose, "
                        + "change an option in the sidecar.");
    }

    private static String describe(List<Task> tasks) {
        return String.join(", ", tasks.stream()
                .map(t -> t.targetLanguage() + " " + t.state() + (t.vmegTaskId() == null ? "" : " " + t.vmegTaskId()))
                .toList());
    }

    /**
     * The inbox sub-folder of a file from its path relative to the inbox ({@code de-DE+fr-FR/talk.mp4} gives
     * {@code de-DE+fr-FR}; {@code talk.mp4} gives {@code ""}), with {@code /} as separator on every platform.
     */
    public static String folderOf(String relativePath) {
        String path = relativePath.replace('\\', '/');
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The file name without extension, made safe as a folder name. */
    static String outputBase(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        // letters, digits, dot, dash, underscore, space; never a leading dot (no "..", no hidden folder)
        String safe = stem.replaceAll("[^\\p{L}\\p{N}._ -]", "_").replaceAll("^[.\\s]+", "").strip();
        // short enough in bytes for "<folder>-N/<folder>-N.<lang>.<ext>" and its part file (FileNames)
        return safe.isEmpty() ? "file" : FileNames.shorten(safe, FileNames.OUTPUT_BASE_BYTES);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
