package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Writes the sandbox's state as the JSON document {@link SandboxState} saves (read back by its restore). */
final class StateSnapshot {

    private StateSnapshot() {
    }

    /** The whole state of {@code s} as one JSON document; results already in files are referred to. */
    static ObjectNode of(Sandbox s, ResultFiles results) {
        ObjectNode root = Json.object();
        root.put("version", SandboxState.VERSION);
        root.put("savedAt", Instant.now().toString());
        // tasks before materials: every task in the file then finds the material it refers to
        List<Task> tasks = s.tasks.all();
        MaterialStore.Snapshot materials = s.materials.snapshot();
        root.put("credits", s.credits.balance());
        root.put("signingKey", HexFormat.of().formatHex(s.signer.key()));

        ArrayNode reservations = root.putArray("reservations");
        for (MaterialStore.Reservation r : materials.reservations()) {
            reservations.addObject().put("materialId", r.materialId()).put("fileHash", r.fileHash())
                    .put("fileName", r.fileName()).put("key", r.key()).put("s3Uri", r.s3Uri());
        }
        ArrayNode uploads = root.putArray("multipartUploads");
        for (MaterialStore.Multipart m : materials.uploads()) {
            uploads.addObject().put("uploadId", m.uploadId).put("materialId", m.target.materialId())
                    .put("state", m.state.name());
        }
        ArrayNode mats = root.putArray("materials");
        for (Material m : materials.materials()) {
            mats.addObject().put("materialId", m.materialId).put("name", m.name).put("key", m.key)
                    .put("fileHash", m.fileHash).put("filesize", m.filesize).put("durationMs", m.durationMs)
                    .put("width", m.width).put("height", m.height).put("createTime", m.createTime.toString())
                    .put("updateTime", m.updateTime.toString()).put("deleted", m.deleted);
        }
        ObjectStore.Snapshot stored = s.store.snapshot();
        ArrayNode objects = root.putArray("objects");
        stored.objects().forEach((key, o) -> objects.addObject().put("key", key).put("size", o.size())
                .put("md5", o.etag()));
        ArrayNode parts = root.putArray("parts");
        stored.parts().forEach((uploadId, byNumber) -> byNumber.forEach((n, o) -> parts.addObject()
                .put("uploadId", uploadId).put("partNumber", n).put("size", o.size()).put("etag", o.etag())
                .put("inAssembly", s.store.inAssembly(uploadId, o))));

        ArrayNode taskArray = root.putArray("tasks");
        tasks.forEach(t -> taskArray.add(task(t, results)));
        ArrayNode keys = root.putArray("idempotencyKeys");
        s.idempotency.snapshot().forEach((id, usedAt) -> keys.addObject().put("id", id)
                .put("usedAt", usedAt.toString()));
        ArrayNode voices = root.putArray("clonedVoices");
        for (VoiceStore.Clone c : s.voices.all()) {
            voices.addObject().put("voiceId", c.voiceId).put("name", c.name).put("provider", c.provider)
                    .put("exampleLanguage", c.exampleLanguage).put("content", c.content).put("audio", c.audio)
                    .put("taskId", c.taskId).put("createTime", c.createTime.toString())
                    .put("updateTime", c.updateTime.toString()).put("deleted", c.deleted);
        }
        ArrayNode webhooks = root.putArray("webhooks");
        s.webhooks.pending().forEach(d -> webhooks.add(delivery(d)));
        return root;
    }

    private static ObjectNode task(Task t, ResultFiles results) {
        ObjectNode o = Json.object();
        synchronized (t) { // status, result and failure change together
            o.put("taskId", t.taskId).put("seq", t.seq).put("taskType", t.taskType).put("event", t.event)
                    .put("async", t.async).put("cost", t.cost).put("createdAt", t.createdAt.toString())
                    .put("dueAt", t.dueAt.toString()).put("updatedAt", t.updatedAt().toString())
                    .put("status", t.status()).put("failure", t.failure()).put("deleted", t.deleted);
            o.set("extraData", t.extraData);
            if (results.hasFile(t.taskId)) {
                o.put("resultInFile", true);
            } else {
                o.set("result", t.resultTemplate());
            }
            if (t.isRunning() && t.work != null) {
                o.set("work", t.work.toJson());
            }
        }
        return o;
    }

    private static ObjectNode delivery(WebhookSender.Delivery d) {
        ObjectNode o = Json.object().put("pipelineKey", d.pipelineKey).put("event", d.event)
                .put("taskId", d.taskId).put("attempts", d.attempts)
                .put("nextAttemptAt", Instant.ofEpochMilli(d.nextAttemptAt).toString())
                .put("duplicates", d.duplicates);
        String text = new String(d.body, StandardCharsets.UTF_8);
        if (Arrays.equals(text.getBytes(StandardCharsets.UTF_8), d.body)) {
            o.put("body", text); // readable; the exact bytes come back on load
        } else {
            o.put("bodyBase64", Base64.getEncoder().encodeToString(d.body));
        }
        if (d.stale != null) {
            o.set("stale", delivery(d.stale));
        }
        return o;
    }
}
