package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives tasks to their end: async tasks finish (or fail) taskDuration after acceptance and then trigger the
 * webhook; sync tasks are produced at once (fault rules and failRate apply to them too: they answer 500).
 * Failed tasks get their credits back (the docs say charging happens
 * when a task is "accepted and processed"; refunding a failure is the reading that keeps balances plausible).
 */
final class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final Sandbox s;

    TaskRunner(Sandbox s) {
        this.s = s;
    }

    void startAsync(Task t) {
        t.dueAt = t.createdAt.plus(s.config.taskDuration());
        s.tasks.add(t);
        s.vertx.setTimer(Math.max(1, s.config.taskDuration().toMillis()), id -> complete(t));
    }

    /**
     * A task that was still running when the sandbox stopped ends at its original due time (at once if that is
     * past), with its webhook; a sync one is simply produced again (its caller is gone, tasks/detail shows it).
     */
    void resume(Task t) {
        if (t.work == null || t.deleted || !t.isRunning()) {
            return;
        }
        long delay = t.dueAt.toEpochMilli() - System.currentTimeMillis();
        s.vertx.setTimer(Math.max(1, delay), id -> complete(t));
    }

    /** Runs a sync task now; the future holds the rendered result or a 500 ApiException when it fails. */
    Future<JsonNode> runSync(Task t) {
        s.tasks.add(t);
        String reason = failureReason(t);
        if (reason != null) {
            fail(t, reason);
            return Future.failedFuture(new ApiException(500, reason));
        }
        return s.vertx.executeBlocking(() -> t.work.produce(t), false).map(template -> {
            t.finish(template);
            s.changed();
            return CdnRefs.render(template, s.signer, s.config.deliverableTtl());
        }).recover(err -> {
            fail(t, "Task failed: internal sandbox error: " + err);
            return Future.failedFuture(err);
        });
    }

    private String failureReason(Task t) {
        String reason = t.work.failureReason(s.faultRules);
        if (reason == null && s.config.failRate() > 0 && Ids.random() < s.config.failRate()) {
            reason = "Task failed: random sandbox failure (failRate " + s.config.failRate() + ")";
        }
        return reason;
    }

    private void complete(Task t) {
        if (t.deleted) {
            return; // deleted before it finished: no result, no webhook
        }
        if (s.closing) {
            return; // stays running in the saved state and ends after the restart
        }
        String reason = failureReason(t);
        if (reason != null) {
            fail(t, reason);
            notifyEnd(t);
            return;
        }
        s.vertx.executeBlocking(() -> t.work.produce(t), false).onComplete(ar -> {
            if (ar.succeeded()) {
                t.finish(ar.result());
                s.changed();
            } else if (s.closing) {
                return; // cut short by the stop, not a task failure: it runs again after the restart
            } else {
                LOG.error("sandbox task {} could not produce its result", t.taskId, ar.cause());
                fail(t, "Task failed: internal sandbox error: " + ar.cause());
            }
            notifyEnd(t);
        });
    }

    private void fail(Task t, String reason) {
        t.fail(reason);
        s.credits.refund(t.cost); // reports the change for both
    }

    private void notifyEnd(Task t) {
        if (t.deleted || !t.async) {
            return;
        }
        boolean ok = "finished".equals(t.status());
        WebhookSender.Event stale = t.isMediaTranslation()
                ? new WebhookSender.Event(t.event, t.taskId, 200, "", t.extraData, t.staleRunningData(), null)
                : null; // other products' payloads carry no status, so a stale event would be meaningless
        s.webhooks.send(new WebhookSender.Event(t.event, t.taskId, ok ? 200 : 500, ok ? "" : t.failure(),
                t.extraData, t.finalEventData(s.signer, s.config.deliverableTtl()), stale));
    }
}
