package io.vmegcamel.sandbox;

import static io.vmegcamel.sandbox.StateFields.array;
import static io.vmegcamel.sandbox.StateFields.instant;
import static io.vmegcamel.sandbox.StateFields.optText;
import static io.vmegcamel.sandbox.StateFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes the sandbox durable like the real VMEG: its whole state lives in one readable JSON file,
 * {@code <dataDir>/state.json}, next to the object files it describes. Loaded when the sandbox is built; running
 * tasks then end at their original due time and unacknowledged webhooks are delivered again (see {@link #resume()}).
 *
 * <p>Saved: the credit balance; the URL signing key (so presigned and CDN URLs survive a restart on the same port);
 * reservations, multipart uploads and registered materials (deleted ones flagged); what is known of stored objects
 * and multipart parts (size, MD5, whether in the upload's assembly file; their bytes are the files); tasks of every
 * product with request data (the {@code work} of those still running), status, result (a finished one in a file of
 * its own, {@link ResultFiles}), timestamps and due time; used idempotency keys (as hashes, with their time of use);
 * cloned voices; webhook deliveries not yet acknowledged. Not saved: the request journal, the list of webhook
 * attempts and injected faults (test aids).
 *
 * <p>Crash safety: a change marks the state dirty and a single background thread writes the whole file at most
 * {@value #DEBOUNCE_MS} ms later (so a burst of API calls costs one write, and no API call ever waits for the disk):
 * to {@code state.json.tmp}, forced to disk, then atomically renamed over {@code state.json}. The file on disk is
 * therefore always a complete snapshot, old or new, never a half-written one. {@link #close()} writes the final
 * state, so a clean stop loses nothing; a hard kill (or power loss) loses at most the changes of the last
 * {@value #DEBOUNCE_MS} ms plus the write in progress, i.e. well under a second. A missing file starts an empty
 * sandbox; an unreadable one too, with a WARN, and is kept aside as {@code state.json.corrupt-<millis>}.
 */
final class SandboxState {

    static final String FILE = "state.json";
    static final int VERSION = 1;
    static final long DEBOUNCE_MS = 200;
    private static final long RETRY_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SandboxState.class);
    private static final ObjectWriter WRITER = Json.MAPPER.writerWithDefaultPrettyPrinter();

    /** What a load found that must be set going once the sandbox listens. */
    private record Loaded(List<Task> running, List<WebhookSender.Delivery> deliveries) {
        static final Loaded NOTHING = new Loaded(List.of(), List.of());
    }

    private final Sandbox s;
    private final Path file;
    private final Path tmp;
    private final ResultFiles results;
    private final ScheduledExecutorService writer;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final Object writeLock = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private boolean failing; // guarded by writeLock: log a failing write once, not every retry
    private Loaded loaded;

    /** Loads {@code <dataDir>/state.json} into the (fresh) stores of {@code s}. */
    SandboxState(Sandbox s) {
        this.s = s;
        this.file = s.store.root().resolve(FILE);
        this.tmp = s.store.root().resolve(FILE + ".tmp");
        this.results = new ResultFiles(s.store.root());
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmeg-sandbox-state");
            t.setDaemon(true);
            return t;
        });
        this.loaded = load();
    }

    // ---------------------------------------------------------------------------------------------------- running

    /** Saves from now on; running tasks end at their due time; pending webhooks are delivered again. */
    void resume() {
        started = true;
        Loaded l = loaded;
        loaded = Loaded.NOTHING;
        l.running().forEach(s.runner::resume);
        s.webhooks.resume(l.deliveries());
        if (dirty.get()) {
            schedule(DEBOUNCE_MS);
        }
    }

    /** Marks the state dirty; the first change after a write schedules the next write. */
    void changed() {
        if (!dirty.getAndSet(true) && started) {
            schedule(DEBOUNCE_MS);
        }
    }

    private void schedule(long delayMs) {
        if (closed) {
            return;
        }
        try {
            writer.schedule(this::write, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ignored) {
            // closing: close() writes
        }
    }

    /** Writes the final state; call after everything that changes it has stopped. */
    void close() {
        closed = true;
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("VMEG sandbox: a state write did not finish in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started) { // a sandbox that never listened changed nothing worth a write
            write();
        }
    }

    /** Stops without writing (the sandbox failed to start). */
    void abandon() {
        closed = true;
        writer.shutdownNow();
    }

    /** Writes a full snapshot if anything changed; never throws (a failed write is retried). */
    void write() {
        synchronized (writeLock) {
            dirty.set(false); // a change from here on schedules another write
            try {
                results.writeNew(s.tasks.all()); // before the state that refers to them
                writeForced(WRITER.writeValueAsBytes(StateSnapshot.of(s, results)), tmp, file);
                forceDirectory(file.getParent());
                if (failing) {
                    LOG.info("VMEG sandbox: state saved to {} again", file);
                    failing = false;
                }
            } catch (IOException | RuntimeException e) {
                if (!failing) {
                    LOG.warn("VMEG sandbox: cannot save its state to {} ({}); retrying", file, e.toString());
                    failing = true;
                }
                dirty.set(true);
                schedule(RETRY_MS);
            }
        }
    }

    /** Blocking: the bytes into tmp, forced to disk, then tmp atomically renamed to target. */
    static void writeForced(byte[] bytes, Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Best effort: makes the rename itself durable (works on Linux; elsewhere the rename is still atomic). */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported on this platform
        }
    }

    // ------------------------------------------------------------------------------------------------------- load

    private Loaded load() {
        byte[] bytes;
        try {
            Files.deleteIfExists(tmp); // an interrupted write: the real file is intact
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Loaded.NOTHING;
        } catch (IOException e) {
            return unreadable(e);
        }
        try {
            return restore(Json.MAPPER.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            return unreadable(e);
        }
    }

    private Loaded unreadable(Exception e) {
        Path aside = file.resolveSibling(FILE + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
        } catch (IOException moveFailed) {
            aside = file;
        }
        String why = e instanceof JsonProcessingException j ? "malformed JSON at line "
                + j.getLocation().getLineNr() + ": " + j.getOriginalMessage().lines().findFirst().orElse("")
                : e.toString();
        LOG.warn("VMEG sandbox: its saved state {} is unreadable ({}); starting with an empty sandbox"
                + " (the file is kept as {})", file, why, aside.getFileName());
        return Loaded.NOTHING;
    }

    /** Reads everything first and only then fills the stores, so a bad file leaves the sandbox empty. */
    private Loaded restore(JsonNode root) throws IOException {
        if (!root.isObject() || root.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " sandbox state");
        }
        if (!root.path("credits").canConvertToLong()) {
            throw new IllegalArgumentException("'credits' must be a number");
        }
        long credits = root.path("credits").asLong();
        byte[] signingKey = HexFormat.of().parseHex(text(root, "signingKey"));

        Map<String, MaterialStore.Reservation> reservations = new LinkedHashMap<>();
        for (JsonNode r : array(root, "reservations")) {
            MaterialStore.Reservation res = new MaterialStore.Reservation(text(r, "materialId"), text(r, "fileHash"),
                    text(r, "fileName"), text(r, "key"), text(r, "s3Uri"));
            reservations.put(res.materialId(), res);
        }
        List<MaterialStore.Multipart> uploads = new ArrayList<>();
        for (JsonNode u : array(root, "multipartUploads")) {
            MaterialStore.Reservation target = reservations.get(text(u, "materialId"));
            if (target == null) {
                throw new IllegalArgumentException("multipart upload without reservation: " + u);
            }
            MaterialStore.Multipart m = new MaterialStore.Multipart(text(u, "uploadId"), target);
            m.state = MaterialStore.State.valueOf(text(u, "state"));
            uploads.add(m);
        }
        Map<String, Material> materials = new LinkedHashMap<>();
        for (JsonNode m : array(root, "materials")) {
            Material mat = new Material(text(m, "materialId"), text(m, "name"), text(m, "key"), text(m, "fileHash"),
                    m.path("filesize").asLong(), m.path("durationMs").asLong(), m.path("width").asInt(),
                    m.path("height").asInt(), instant(m, "createTime"), instant(m, "updateTime"),
                    m.path("deleted").asBoolean());
            if (mat.category == null) {
                throw new IllegalArgumentException("material of unsupported type: " + mat.name);
            }
            materials.put(mat.materialId, mat);
        }
        Map<String, ObjectStore.StoredObject> objects = new TreeMap<>();
        for (JsonNode o : array(root, "objects")) {
            String key = text(o, "key");
            objects.put(key, new ObjectStore.StoredObject(s.store.objectPath(key), o.path("size").asLong(),
                    text(o, "md5")));
        }
        Map<String, Map<Integer, ObjectStore.StoredObject>> parts = new TreeMap<>();
        for (JsonNode p : array(root, "parts")) {
            String uploadId = text(p, "uploadId");
            int n = p.path("partNumber").asInt();
            ObjectStore.StoredObject part = p.path("inAssembly").asBoolean()
                    ? s.store.assemblySlot(uploadId, n, p.path("size").asLong(), etag(p)) // one slot long
                    : new ObjectStore.StoredObject(s.store.partPath(uploadId, n), p.path("size").asLong(), etag(p));
            parts.computeIfAbsent(uploadId, k -> new TreeMap<>()).put(n, part);
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode t : array(root, "tasks")) {
            tasks.add(task(t, materials));
        }
        Map<String, Instant> keys = new LinkedHashMap<>();
        for (JsonNode k : array(root, "idempotencyKeys")) {
            keys.put(text(k, "id"), instant(k, "usedAt"));
        }
        List<VoiceStore.Clone> clones = new ArrayList<>();
        for (JsonNode c : array(root, "clonedVoices")) {
            clones.add(new VoiceStore.Clone(text(c, "voiceId"), text(c, "name"), text(c, "provider"),
                    text(c, "exampleLanguage"), text(c, "content"), text(c, "audio"), text(c, "taskId"),
                    instant(c, "createTime"), instant(c, "updateTime"), c.path("deleted").asBoolean()));
        }
        List<WebhookSender.Delivery> deliveries = new ArrayList<>();
        for (JsonNode d : array(root, "webhooks")) {
            deliveries.add(delivery(d));
        }

        // everything read: fill the stores (no change is reported, nothing is written yet)
        s.credits.restore(credits);
        s.signer.restoreKey(signingKey);
        s.materials.restore(new MaterialStore.Snapshot(List.copyOf(reservations.values()), uploads,
                List.copyOf(materials.values())));
        materials.values().forEach(m -> s.store.seal(m.key));
        int missing = s.store.restore(new ObjectStore.Snapshot(objects, parts));
        // storage answered 200 only once a part file was complete and in place, so such a part persists even when
        // the kill came before the state file listed it (as S3 keeps every part it acknowledged)
        int recovered = 0;
        for (MaterialStore.Multipart u : uploads) {
            if (u.state == MaterialStore.State.OPEN) {
                recovered += s.store.recoverParts(u.uploadId);
            }
        }
        if (recovered > 0) {
            LOG.info("VMEG sandbox: {} multipart parts found on disk that {} did not list yet; kept", recovered, file);
        }
        s.tasks.restore(tasks);
        s.idempotency.restore(keys);
        s.voices.restore(clones);
        List<Task> running = tasks.stream().filter(t -> t.isRunning() && !t.deleted).toList();
        LOG.info("VMEG sandbox: restored {} materials, {} tasks ({} running), {} cloned voices, {} idempotency keys"
                        + " and {} undelivered webhooks from {}", materials.size(), tasks.size(), running.size(),
                clones.size(), keys.size(), deliveries.size(), file);
        if (missing > 0) {
            LOG.warn("VMEG sandbox: {} stored objects or parts listed in {} are missing on disk; forgotten",
                    missing, file);
        }
        return new Loaded(running, deliveries);
    }

    private Task task(JsonNode t, Map<String, Material> materials) throws IOException {
        String status = text(t, "status");
        if (!List.of("running", "finished", "failed").contains(status)) {
            throw new IllegalArgumentException("task status " + status);
        }
        JsonNode extra = t.path("extraData");
        if (!extra.isObject()) {
            throw new IllegalArgumentException("task extraData must be an object");
        }
        JsonNode result = t.path("resultInFile").asBoolean() ? results.read(text(t, "taskId")) : t.path("result");
        Task.Work work = null;
        if ("running".equals(status)) {
            JsonNode w = t.get("work");
            if (w == null || !w.isObject()) {
                throw new IllegalArgumentException("running task " + t.path("taskId").asText() + " has no work");
            }
            work = work(w, materials);
        }
        return new Task(text(t, "taskId"), t.path("seq").asLong(), text(t, "taskType"), text(t, "event"),
                t.path("async").asBoolean(), (ObjectNode) extra, t.path("cost").asLong(), work,
                instant(t, "createdAt"), instant(t, "dueAt"), instant(t, "updatedAt"), status,
                result.isMissingNode() || result.isNull() ? null : result, optText(t, "failure"),
                t.path("deleted").asBoolean());
    }

    private Task.Work work(JsonNode w, Map<String, Material> materials) {
        String kind = text(w, "kind");
        return switch (kind) {
            case MediaTranslationJob.KIND -> MediaTranslationJob.fromJson(s, w, materials::get);
            case TtsApi.Job.KIND -> TtsApi.Job.fromJson(s, w);
            case TranslateApi.Job.KIND -> TranslateApi.Job.fromJson(w);
            case VoiceApi.CloneJob.KIND -> VoiceApi.CloneJob.fromJson(s, w);
            default -> throw new IllegalArgumentException("unknown task work kind " + kind);
        };
    }

    private static WebhookSender.Delivery delivery(JsonNode d) {
        byte[] body = d.hasNonNull("bodyBase64") ? Base64.getDecoder().decode(text(d, "bodyBase64"))
                : text(d, "body").getBytes(StandardCharsets.UTF_8);
        WebhookSender.Delivery stale = d.hasNonNull("stale") ? delivery(d.get("stale")) : null;
        return new WebhookSender.Delivery(text(d, "pipelineKey"), text(d, "event"), text(d, "taskId"), body,
                d.path("duplicates").asInt(), stale, d.path("attempts").asInt(),
                instant(d, "nextAttemptAt").toEpochMilli());
    }

    /** A part's ETag; states written before parts had tags of their own called it md5 (it was one). */
    private static String etag(JsonNode part) {
        return part.has("etag") ? text(part, "etag") : text(part, "md5");
    }
}
