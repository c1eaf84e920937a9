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
import io.vmegcamel.vmeg.VmegClient;
import io.vmegcamel.vmeg.VmegClient.Downloaded;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a finished task's results into {@code outbox/<job>/<lang>/} right away, before VMEG's links expire: the
 * dubbed video and/or audio, SRT and WebVTT subtitles, the raw result, and the manifest. Expired links are
 * refreshed once through tasks/detail.
 */
public final class Deliverables {

    private static final Logger LOG = LoggerFactory.getLogger(Deliverables.class);

    private final Ledger ledger;
    private final VmegClient vmeg;
    private final ObjectMapper json;
    private final Manifests manifests;

    public Deliverables(Ledger ledger, VmegClient vmeg, ObjectMapper json, Manifests manifests) {
        this.ledger = ledger;
        this.vmeg = vmeg;
        this.json = json;
        this.manifests = manifests;
    }

    /** FINISHED to DOWNLOADED. Does nothing for a task in another state (already downloaded, say). */
    public void download(String taskId, JsonNode result) {
        Task task = ledger.tasks().require(taskId);
        if (task.state() != TaskState.FINISHED) {
            return;
        }
        Job job = ledger.jobs().require(task.jobId());
        Path dir = manifests.languageDir(job, task);
        String stem = job.outputName() + "." + task.targetLanguage();
        List<Entry> files;
        try {
            files = fetchMedia(task, result, dir, stem);
        } catch (VmegException e) {
            if (e.httpStatus() != 403 && e.httpStatus() != 404 && e.httpStatus() != 410) {
                throw e;
            }
            LOG.warn("task {}: result links refused ({}), asking tasks/detail for fresh ones", taskId, e.getMessage());
            result = vmeg.get(VmegPaths.TASK_DETAIL, Map.of("taskId", task.vmegTaskId())).path("result");
            files = fetchMedia(task, result, dir, stem);
        }
        List<Subtitles.Cue> cues = Subtitles.cues(result);
        if (!cues.isEmpty()) {
            files.add(writeText(dir.resolve(stem + ".srt"), "subtitles", Subtitles.srt(cues)));
            files.add(writeText(dir.resolve(stem + ".vtt"), "subtitles", Subtitles.vtt(cues)));
        }
        Path resultFile = JsonFiles.write(json, dir.resolve("result.json"), result);
        files.add(entry("result", resultFile));
        Task current = ledger.tasks().require(taskId);
        manifests.writeTask(job, current, "finished", null, files, result);
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

    /** The dubbed video and/or audio, as {@code <stem>.<ext>} (audio next to a video: {@code <stem>.audio.<ext>}). */
    private List<Entry> fetchMedia(Task task, JsonNode result, Path dir, String stem) {
        JsonNode video = result.path("build").path("video");
        JsonNode audio = result.path("build").path("audio");
        List<Entry> files = new ArrayList<>();
        if (video.hasNonNull("url") && !video.path("url").asText().isEmpty()) {
            files.add(fetch(video, dir, stem, "video", "mp4"));
        }
        if (audio.hasNonNull("url") && !audio.path("url").asText().isEmpty()) {
            files.add(fetch(audio, dir, files.isEmpty() ? stem : stem + ".audio", "audio", "m4a"));
        }
        if (files.isEmpty()) {
            throw new VmegException("result of " + task.vmegTaskId(), 200, 200,
                    "finished without build.video or build.audio url", null, null);
        }
        return files;
    }

    private Entry fetch(JsonNode media, Path dir, String stem, String role, String defaultExtension) {
        String url = media.path("url").asText();
        String ext = MediaKind.extension(URI.create(url).getPath());
        Path target = dir.resolve(stem + "." + (ext.isEmpty() || ext.length() > 5 ? defaultExtension : ext));
        Downloaded d = vmeg.download(url, target);
        long expected = media.path("size").asLong(0);
        if (expected > 0 && expected != d.sizeBytes()) {
            throw new VmegException("GET " + target.getFileName(), 0, 0,
                    "downloaded " + d.sizeBytes() + " bytes, the result says " + expected, null, null);
        }
        return new Entry(role, target.getFileName().toString(), d.sizeBytes(), d.sha256());
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
