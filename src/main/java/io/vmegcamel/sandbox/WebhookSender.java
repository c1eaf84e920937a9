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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Every event not yet acknowledged is a {@link Delivery} in {@link #pending()}, saved with the sandbox state: after
 * a restart it is delivered again (same body and pipelineKey, next attempt at its saved time), so a receiver sees
 * at-least-once delivery across restarts. Duplicates after a 2xx are best effort and not saved.
 */
final class WebhookSender implements AutoCloseable {

    /** One event to deliver; {@code stale} (nullable) is sent as its own event after this one is acknowledged. */
    record Event(String event, String taskId, int code, String message, ObjectNode extraData, JsonNode data,
                 Event stale) {
    }

    /**
     * One serialized event until it is acknowledged (or given up).
     *
     * @param attempts      attempts made so far
     * @param nextAttemptAt epoch millis of the next attempt
     * @param duplicates    extra deliveries after the 2xx
     * @param stale         sent (as its own delivery) once this one is acknowledged; nullable
     */
    static final class Delivery {
        final String pipelineKey;
        final String event;
        final String taskId;
        final byte[] body;
        final int duplicates;
        final Delivery stale;
        volatile int attempts;
        volatile long nextAttemptAt;

        Delivery(String pipelineKey, String event, String taskId, byte[] body, int duplicates, Delivery stale,
                 int attempts, long nextAttemptAt) {
            this.pipelineKey = pipelineKey;
            this.event = event;
            this.taskId = taskId;
            this.body = body;
            this.duplicates = duplicates;
            this.stale = stale;
            this.attempts = attempts;
            this.nextAttemptAt = nextAttemptAt;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final SandboxConfig config;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpExecutor;
    private HttpClient client; // guarded by this
    private final List<WebhookAttempt> attempts = new ArrayList<>();
    private final Map<String, Delivery> pending = new LinkedHashMap<>();
    private volatile boolean closed;

    WebhookSender(SandboxConfig config, Runnable onChange) {
        this.config = config;
        this.onChange = onChange;
        this.scheduler = Executors.newScheduledThreadPool(4, daemon("vmeg-sandbox-webhook"));
        this.httpExecutor = Executors.newCachedThreadPool(daemon("vmeg-sandbox-webhook-http"));
    }

    /** Built at the first delivery: the JDK's client sets up TLS when built, which a start need not wait for. */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.webhookTimeout()).executor(httpExecutor).build();
        }
        return client;
    }

    /**
     * Delivers a final event: retried, then duplicated webhookDuplicates times, then its stale event (if any and
     * webhookOutOfOrder is on). After close the event is only kept pending, to be delivered after a restart.
     */
    void send(Event e) {
        if (!config.deliversWebhooks()) {
            return;
        }
        Delivery stale = e.stale() != null && config.webhookOutOfOrder() ? delivery(e.stale(), 0, null) : null;
        Delivery d = delivery(e, config.webhookDuplicates(), stale);
        synchronized (pending) {
            pending.put(d.pipelineKey, d);
        }
        onChange.run();
        schedule(() -> attempt(d), Duration.ZERO);
    }

    /** Serializes the event; webhookOmit fields are left out of the body (the delivery still tracks its key). */
    private Delivery delivery(Event e, int duplicates, Delivery stale) {
        String pipelineKey = Ids.pipelineKey();
        ObjectNode env = Json.object();
        env.put("code", e.code());
        env.put("version", "v1");
        env.put("event", e.event());
        env.put("pipelineKey", pipelineKey);
        env.remove(config.webhookOmit());
        env.put("message", e.message() == null ? "" : e.message());
        env.set("extraData", e.extraData() == null ? Json.object() : e.extraData());
        env.set("data", e.data());
        return new Delivery(pipelineKey, e.event(), e.taskId(), Json.bytes(env), duplicates, stale, 0,
                System.currentTimeMillis());
    }

    /** Deliveries saved before a restart: each goes out at its saved next-attempt time (at once if past). */
    void resume(List<Delivery> saved) {
        if (saved.isEmpty()) {
            return;
        }
        if (!config.deliversWebhooks()) {
            LOG.info("sandbox: {} webhook deliveries saved before the restart are dropped (webhooks off now)",
                    saved.size());
            onChange.run();
            return;
        }
        synchronized (pending) {
            saved.forEach(d -> pending.put(d.pipelineKey, d));
        }
        LOG.info("sandbox: delivering {} webhook events not acknowledged before the restart", saved.size());
        long now = System.currentTimeMillis();
        for (Delivery d : saved) {
            schedule(() -> attempt(d), Duration.ofMillis(Math.max(0, d.nextAttemptAt - now)));
        }
    }

    /** Deliveries not acknowledged yet, in the order they were created. */
    List<Delivery> pending() {
        synchronized (pending) {
            return List.copyOf(pending.values());
        }
    }

    private void attempt(Delivery d) {
        if (closed) {
            return;
        }
        int n = d.attempts + 1;
        int status = post(d, n);
        if (closed && status == -1) {
            return; // cut short by the stop, not an answer: still pending, tried again after the restart
        }
        d.attempts = n;
        if (status >= 200 && status < 300) {
            synchronized (pending) {
                pending.remove(d.pipelineKey);
                if (d.stale != null) {
                    pending.put(d.stale.pipelineKey, d.stale);
                }
            }
            onChange.run();
            for (int i = 1; i <= d.duplicates && !closed; i++) {
                post(d, n + i);
            }
            if (d.stale != null) {
                schedule(() -> attempt(d.stale), Duration.ZERO); // retried but not duplicated
            }
        } else if (n < config.webhookMaxAttempts()) {
            Duration delay = backoff(n);
            d.nextAttemptAt = System.currentTimeMillis() + delay.toMillis();
            onChange.run();
            schedule(() -> attempt(d), delay);
        } else {
            synchronized (pending) {
                pending.remove(d.pipelineKey);
            }
            onChange.run();
            LOG.warn("sandbox webhook {} for task {} gave up after {} attempts", d.event, d.taskId, n);
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
    private int post(Delivery d, int n) {
        String timestamp = Long.toString(System.currentTimeMillis());
        String signature = sign(config.webhookSecret(), timestamp, d.body);
        int status;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(config.webhookUrl()))
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Timestamp", timestamp)
                    .header("X-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body))
                    .build();
            status = client().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            status = -1;
        } catch (Exception ex) {
            status = -1;
        }
        synchronized (attempts) {
            attempts.add(new WebhookAttempt(d.pipelineKey, d.event, d.taskId, n, status, timestamp, signature,
                    d.body.clone()));
        }
        LOG.info("sandbox webhook {} task {} attempt {} -> {}", d.event, d.taskId, n, status);
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
        scheduler.shutdownNow(); // interrupts attempts in flight
        httpExecutor.shutdownNow();
        try { // let them record their outcome in the pending deliveries before the final state is saved
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("sandbox webhook sender: an attempt did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
