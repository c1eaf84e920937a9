package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One task of any product. Status moves running -> finished | failed exactly once. */
final class Task {

    /** Product-specific part of a task: fault-rule matching and producing the result. */
    interface Work {
        /** Reason text when a failTaskWhen rule matches this task, else null. */
        String failureReason(FaultRules rules);

        /** Blocking (runs on a worker): writes deliverables and returns the result template (see {@link CdnRefs}). */
        JsonNode produce(Task task) throws Exception;

        /** Everything needed to rebuild this work after a restart, with a {@code kind} field (see {@link SandboxState}). */
        ObjectNode toJson();
    }

    static final String EVENT_MEDIA = "openapi-media-translation";
    private static final AtomicLong SEQ = new AtomicLong();

    final String taskId;
    final long seq;
    final String taskType;
    final String event;
    final boolean async;
    final ObjectNode extraData;
    final long cost;
    /** Null for a task restored after it had ended: nothing is left to run. */
    final Work work;
    final Instant createdAt;
    /** When a running task is to end; set when it is started (sync tasks: at once). */
    volatile Instant dueAt;
    private volatile Instant updatedAt;
    private volatile String status = "running";
    private volatile JsonNode result;
    private volatile String failure;
    volatile boolean deleted;

    Task(String taskType, String event, boolean async, ObjectNode extraData, long cost, Work work) {
        this.taskId = Ids.taskId();
        this.seq = SEQ.incrementAndGet();
        this.taskType = taskType;
        this.event = event;
        this.async = async;
        this.extraData = extraData == null ? Json.object() : extraData.deepCopy();
        this.cost = cost;
        this.work = work;
        this.createdAt = Instant.now();
        this.dueAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** A task as saved before a restart (see {@link SandboxState}). */
    Task(String taskId, long seq, String taskType, String event, boolean async, ObjectNode extraData, long cost,
         Work work, Instant createdAt, Instant dueAt, Instant updatedAt, String status, JsonNode result,
         String failure, boolean deleted) {
        this.taskId = taskId;
        this.seq = seq;
        SEQ.accumulateAndGet(seq, Math::max); // tasks created after the restart list as newer
        this.taskType = taskType;
        this.event = event;
        this.async = async;
        this.extraData = extraData;
        this.cost = cost;
        this.work = work;
        this.createdAt = createdAt;
        this.dueAt = dueAt;
        this.updatedAt = updatedAt;
        this.status = status;
        this.result = result;
        this.failure = failure;
        this.deleted = deleted;
    }

    boolean isMediaTranslation() {
        return EVENT_MEDIA.equals(event);
    }

    synchronized void finish(JsonNode resultTemplate) {
        result = resultTemplate;
        status = "finished";
        updatedAt = Instant.now();
    }

    synchronized void fail(String reason) {
        failure = reason;
        status = "failed";
        updatedAt = Instant.now();
    }

    String status() {
        return status;
    }

    String failure() {
        return failure;
    }

    boolean isRunning() {
        return "running".equals(status);
    }

    Instant updatedAt() {
        return updatedAt;
    }

    /** The result template (with {@link CdnRefs} references), null unless finished. */
    JsonNode resultTemplate() {
        return result;
    }

    /**
     * The status as tasks/detail and tasks/list report it: {@code finishedWord} for a finished task. The saved state
     * and the webhooks always use {@code finished}.
     */
    String reportedStatus(String finishedWord) {
        String st = status;
        return "finished".equals(st) ? finishedWord : st;
    }

    ObjectNode summary(String finishedWord) {
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("taskType", taskType);
        o.put("status", reportedStatus(finishedWord));
        o.put("createdAt", Ids.iso(createdAt));
        o.put("updatedAt", Ids.iso(updatedAt));
        return o;
    }

    /** tasks/detail data (status as {@link #reportedStatus}); result (null unless finished) has freshly signed URLs. */
    ObjectNode detail(UrlSigner signer, Duration ttl, String finishedWord) {
        String st = status;
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("taskType", taskType);
        o.put("status", "finished".equals(st) ? finishedWord : st);
        JsonNode r = "finished".equals(st) ? CdnRefs.render(result, signer, ttl) : null;
        o.set("result", r == null ? NullNode.instance : r);
        return o;
    }

    /** Webhook data for the final event. */
    ObjectNode finalEventData(UrlSigner signer, Duration ttl) {
        if (isMediaTranslation()) {
            ObjectNode o = Json.object();
            o.put("taskId", taskId);
            o.put("taskType", taskType);
            o.put("status", status);
            if ("finished".equals(status)) {
                o.set("result", CdnRefs.render(result, signer, ttl));
            }
            return o;
        }
        if ("finished".equals(status)) {
            return (ObjectNode) CdnRefs.render(result, signer, ttl);
        }
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("createdAt", Ids.iso(createdAt));
        return o;
    }

    /** The stale event delivered after the final one when webhookOutOfOrder is on (media translation only). */
    ObjectNode staleRunningData() {
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("taskType", taskType);
        o.put("status", "running");
        return o;
    }
}
