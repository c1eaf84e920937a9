package io.vmegcamel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.Manifests.Entry;
import io.vmegcamel.downstream.Outbox;
import io.vmegcamel.ingest.MediaKind;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code deliver-task} route (routes/download.camel.yaml) that YAML cannot say: which files a
 * finished task's result names and where they go, fresh links from tasks/detail, and the text files and
 * manifest once the media is in {@code outbox/<job>/<lang>/}. The media itself is downloaded by the route
 * (camel-http), streamed to disk by {@link DeliverableFiles}.
 */
public final class Deliverables {

    private static final Logger LOG = LoggerFactory.getLogger(Deliverables.class);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final Manifests manifests;
    private final DownloadPolicy policy;
    private final Publication publication;

    public Deliverables(Ledger ledger, ObjectMapper json, Manifests manifests, DownloadPolicy policy) {
        this(ledger, json, manifests, policy, Publication.local());
    }

    /** @param publication publishes a task's folder (e.g. to a remote outbox) before the task counts as delivered */
    public Deliverables(Ledger ledger, ObjectMapper json, Manifests manifests, DownloadPolicy policy,
            Publication publication) {
        this.publication = publication;
        this.ledger = ledger;
        this.json = json;
        this.manifests = manifests;
        this.policy = policy;
    }

    /** Only a FINISHED task is downloaded (not one already DOWNLOADED by an earlier event). */
    public boolean awaitsDownload(String taskId) {
        return ledger.tasks().require(taskId).state() == TaskState.FINISHED;
    }

    /**
     * The dubbed video and/or audio of the result, as {@code <stem>.<ext>} (audio next to a video:
     * {@code <stem>.audio.<ext>}). A size VMEG announces above {@code vmeg.download.max-bytes} is refused here,
     * before any request.
     */
    public List<Deliverable> media(String taskId, JsonNode result) {
        Task task = ledger.tasks().require(taskId);
        Job job = ledger.jobs().require(task.jobId());
        Path dir = manifests.languageDir(job, task);
        String stem = job.outputName() + "." + task.targetLanguage();
        JsonNode video = result.path("build").path("video");
        JsonNode audio = result.path("build").path("audio");
        List<Deliverable> files = new ArrayList<>();
        if (video.hasNonNull("url") && !video.path("url").asText().isEmpty()) {
            files.add(deliverable(task, video, dir, stem, "video", "mp4"));
        }
        if (audio.hasNonNull("url") && !audio.path("url").asText().isEmpty()) {
            files.add(deliverable(task, audio, dir, files.isEmpty() ? stem : stem + ".audio", "audio", "m4a"));
        }
        if (files.isEmpty()) {
            throw new VmegException("result of " + task.vmegTaskId(), 200, 200,
                    "finished without build.video or build.audio url", null, null);
        }
        for (Deliverable d : files) {
            policy.checkSize(d.expectedSize(), d.toString());
        }
        return files;
    }

    /** The tasks/detail query that brings fresh result links for a task. */
    public String taskDetailQuery(String taskId) {
        return "taskId=" + URLEncoder.encode(ledger.tasks().require(taskId).vmegTaskId(), StandardCharsets.UTF_8);
    }

    /**
     * The media is in place: writes subtitles, result.json and the manifest, then FINISHED to DOWNLOADED.
     *
     * @param media the downloaded files, in the order of {@link #media}
     */
    public void finish(String taskId, JsonNode result, List<Entry> media) {
        Task task = ledger.tasks().require(taskId);
        Job job = ledger.jobs().require(task.jobId());
        Path dir = manifests.languageDir(job, task);
        String stem = job.outputName() + "." + task.targetLanguage();
        List<Entry> files = new ArrayList<>(media);
        List<Subtitles.Cue> cues = Subtitles.cues(result);
        if (!cues.isEmpty()) {
            files.add(writeText(dir.resolve(stem + ".srt"), "subtitles", Subtitles.srt(cues)));
            files.add(writeText(dir.resolve(stem + ".vtt"), "subtitles", Subtitles.vtt(cues)));
        }
        Path resultFile = JsonFiles.write(json, dir.resolve("result.json"), result);
        files.add(entry("result", resultFile));
        Task current = ledger.tasks().require(taskId);
        manifests.writeTask(job, current, "finished", null, files, result);
        publication.folder(dir); // on the outbox storage before the task.finished event can name it
        if (ledger.jdbc().inTransaction(() -> ledger.tasks().transition(taskId, TaskState.FINISHED,
                TaskState.DOWNLOADED) && Outbox.taskFinished(ledger, taskId))) {
            ledger.history().record(job.id(), taskId, "DOWNLOADED", files.size() + " files in " + dir);
            LOG.info("{} -> {}: {} files in {}", job.fileName(), task.targetLanguage(), files.size(), dir);
        }
    }

    /** Writes the manifest of a task VMEG reported failed, so the outbox tells the whole story. */
    public void recordFailure(String taskId, String error) {
        Task task = ledger.tasks().require(taskId);
        Job job = ledger.jobs().require(task.jobId());
        manifests.writeTask(job, task, "failed", error, List.of(), null);
    }

    private static Deliverable deliverable(Task task, JsonNode media, Path dir, String stem, String role,
                                           String defaultExtension) {
        String url = media.path("url").asText();
        String ext;
        try {
            ext = MediaKind.extension(URI.create(url).getPath());
        } catch (IllegalArgumentException e) {
            ext = ""; // not a valid URL: refused by the download policy, with a clear message
        }
        Path target = dir.resolve(stem + "." + (ext.isEmpty() || ext.length() > 5 ? defaultExtension : ext));
        return new Deliverable(task.id(), role, url, target, media.path("size").asLong(0));
    }

    private static Entry writeText(Path target, String role, String text) {
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, text, StandardCharsets.UTF_8);
            return entry(role, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(String role, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file); // small text files only (subtitles, result.json)
            return new Entry(role, file.getFileName().toString(), bytes.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
