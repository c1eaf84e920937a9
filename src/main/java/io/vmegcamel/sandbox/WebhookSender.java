package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers webhook events on its own threads. The body is serialized once per event; each attempt sends the same
 * bytes with a fresh {@code X-Timestamp} and {@code X-Signature}. Retries on any non-2xx, timeout or connection error
 * with exponential backoff until the first 2xx or webhookMaxAttempts.
 */
final class WebhookSender implements AutoCloseable {

    /** One event to deliver; {@code stale} (nullable) is sent as its own event after this one is acknowledged. */
    record Event(String event, String taskId, int code, String message, ObjectNode extraData, JsonNode data,
                 Event stale) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final SandboxConfig config;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final List<WebhookAttempt> attempts = new ArrayList<>();
    private volatile boolean closed;

    WebhookSender(SandboxConfig config) {
        this.config = config;
        this.scheduler = Executors.newScheduledThreadPool(4, daemon("vmeg-sandbox-webhook"));
        this.httpExecutor = Executors.newCachedThreadPool(daemon("vmeg-sandbox-webhook-http"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.webhookTimeout()).executor(httpExecutor).build();
    }

    /** Delivers a final event: retried, then duplicated webhookDuplicates times, then its stale event (if any). */
    void send(Event e) {
        send(e, config.webhookDuplicates());
    }

    private void send(Event e, int duplicates) {
        if (!config.webhooksEnabled() || closed) {
            return;
        }
        String pipelineKey = Ids.pipelineKey();
        ObjectNode env = Json.object();
        env.put("code", e.code());
        env.put("version", "v1");
        env.put("event", e.event());
        env.put("pipelineKey", pipelineKey);
        env.put("message", e.message() == null ? "" : e.message());
        env.set("extraData", e.extraData() == null ? Json.object() : e.extraData());
        env.set("data", e.data());
        byte[] body = Json.bytes(env);
        schedule(() -> attempt(e, pipelineKey, body, 1, duplicates), Duration.ZERO);
    }

    private void attempt(Event e, String pipelineKey, byte[] body, int n, int duplicates) {
        if (closed) {
            return;
        }
        int status = post(e, pipelineKey, body, n);
        if (status >= 200 && status < 300) {
            for (int d = 1; d <= duplicates && !closed; d++) {
                post(e, pipelineKey, body, n + d);
            }
            if (e.stale() != null && config.webhookOutOfOrder()) {
                send(e.stale(), 0); // the stale event is delivered (with retries) but not duplicated
            }
        } else if (n < config.webhookMaxAttempts()) {
            schedule(() -> attempt(e, pipelineKey, body, n + 1, duplicates), backoff(n));
        } else {
            LOG.warn("sandbox webhook {} for task {} gave up after {} attempts", e.event(), e.taskId(), n);
        }
    }

    /** Delay before attempt n+1: initial * 2^(n-1), capped. */
    private Duration backoff(int n) {
        Duration d = config.webhookInitialBackoff();
        for (int i = 1; i < n && d.compareTo(config.webhookMaxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.webhookMaxBackoff()) > 0 ? config.webhookMaxBackoff() : d;
    }

    /** One POST; returns the HTTP status or -1 on timeout / connection error. */
    private int post(Event e, String pipelineKey, byte[] body, int n) {
        String timestamp = Long.toString(System.currentTimeMillis());
        String signature = sign(config.webhookSecret(), timestamp, body);
        int status;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(config.webhookUrl()))
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Timestamp", timestamp)
                    .header("X-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            status = -1;
        } catch (Exception ex) {
            status = -1;
        }
        synchronized (attempts) {
            attempts.add(new WebhookAttempt(pipelineKey, e.event(), e.taskId(), n, status, timestamp, signature,
                    body.clone()));
        }
        LOG.info("sandbox webhook {} task {} attempt {} -> {}", e.event(), e.taskId(), n, status);
        return status;
    }

    static String sign(String secret, String timestamp, byte[] body) {
        return Ids.toHex(UrlSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                timestamp.getBytes(StandardCharsets.UTF_8), body));
    }

    private void schedule(Runnable r, Duration delay) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    List<WebhookAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
