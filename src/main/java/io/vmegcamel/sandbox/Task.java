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
    }

    static final String EVENT_MEDIA = "openapi-media-translation";
    private static final AtomicLong SEQ = new AtomicLong();

    final String taskId = Ids.taskId();
    final long seq = SEQ.incrementAndGet();
    final String taskType;
    final String event;
    final boolean async;
    final ObjectNode extraData;
    final long cost;
    final Work work;
    final Instant createdAt = Instant.now();
    private volatile Instant updatedAt = createdAt;
    private volatile String status = "running";
    private volatile JsonNode result;
    private volatile String failure;
    volatile boolean deleted;

    Task(String taskType, String event, boolean async, ObjectNode extraData, long cost, Work work) {
        this.taskType = taskType;
        this.event = event;
        this.async = async;
        this.extraData = extraData == null ? Json.object() : extraData.deepCopy();
        this.cost = cost;
        this.work = work;
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

    ObjectNode summary() {
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("taskType", taskType);
        o.put("status", status);
        o.put("createdAt", Ids.iso(createdAt));
        o.put("updatedAt", Ids.iso(updatedAt));
        return o;
    }

    /** tasks/detail data; result (null unless finished) has freshly signed URLs. */
    ObjectNode detail(UrlSigner signer, Duration ttl) {
        ObjectNode o = Json.object();
        o.put("taskId", taskId);
        o.put("taskType", taskType);
        o.put("status", status);
        JsonNode r = "finished".equals(status) ? CdnRefs.render(result, signer, ttl) : null;
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
