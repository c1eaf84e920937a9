package io.vmegcamel.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one sandbox instance. Immutable; use {@link #defaults()} and the {@code withXxx} copy methods.
 *
 * @param host                  bind address, default {@code 127.0.0.1}
 * @param port                  0 = pick a free port
 * @param apiKey                the only valid Bearer token
 * @param webhookUrl            where webhooks are POSTed; null or blank = do not deliver
 * @param webhookSecret         HMAC key for {@code X-Signature}
 * @param dataDir               stored objects (uploads, parts, deliverables) live under here
 * @param taskDuration          time from acceptance to finished/failed
 * @param deliverableTtl        lifetime of CDN result URLs
 * @param uploadUrlTtl          lifetime of presigned upload URLs
 * @param idempotencyTtl        how long a (path, key) pair stays used
 * @param failTaskWhen          fault rules {@code lang:<code>} or {@code name:<glob>}; a match ends the task failed
 * @param failRate              0..1 share of tasks failed at random
 * @param webhookMaxAttempts    delivery attempts per event
 * @param webhookInitialBackoff first retry delay, doubled per attempt
 * @param webhookMaxBackoff     retry delay cap
 * @param webhookTimeout        per attempt
 * @param webhookDuplicates     extra deliveries of the same final event after a 2xx
 * @param webhookOutOfOrder     also deliver a stale "running" event after the final one
 * @param credits               starting credit balance
 * @param minPartSize           multipart minimum size of every part but the last
 * @param webhooksEnabled       false = deliver no webhook at all, even with a webhookUrl (clients must poll)
 * @param finishedStatusWord    the status word tasks/detail and tasks/list report for a finished task (default
 *                              {@code finished}, e.g. {@code complete}); webhooks always say {@code finished}
 * @param webhookOmit           envelope fields left out of webhook bodies: {@code pipelineKey}, {@code event}
 *                              (the signature covers the body as sent)
 */
public record SandboxConfig(
        String host,
        int port,
        String apiKey,
        String webhookUrl,
        String webhookSecret,
        Path dataDir,
        Duration taskDuration,
        Duration deliverableTtl,
        Duration uploadUrlTtl,
        Duration idempotencyTtl,
        List<String> failTaskWhen,
        double failRate,
        int webhookMaxAttempts,
        Duration webhookInitialBackoff,
        Duration webhookMaxBackoff,
        Duration webhookTimeout,
        int webhookDuplicates,
        boolean webhookOutOfOrder,
        long credits,
        long minPartSize,
        boolean webhooksEnabled,
        String finishedStatusWord,
        List<String> webhookOmit) {

    /** The envelope fields webhookOmit may name. */
    public static final List<String> OMITTABLE_WEBHOOK_FIELDS = List.of("pipelineKey", "event");

    public SandboxConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
        Objects.requireNonNull(dataDir, "dataDir");
        requirePositive(taskDuration, "taskDuration", true);
        requirePositive(deliverableTtl, "deliverableTtl", false);
        requirePositive(uploadUrlTtl, "uploadUrlTtl", false);
        requirePositive(idempotencyTtl, "idempotencyTtl", false);
        requirePositive(webhookInitialBackoff, "webhookInitialBackoff", true);
        requirePositive(webhookMaxBackoff, "webhookMaxBackoff", true);
        requirePositive(webhookTimeout, "webhookTimeout", false);
        failTaskWhen = failTaskWhen == null ? List.of() : List.copyOf(failTaskWhen);
        FaultRules.parse(failTaskWhen); // fail fast on a malformed rule
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (failRate < 0 || failRate > 1 || Double.isNaN(failRate)) {
            throw new IllegalArgumentException("failRate must be within 0..1, got " + failRate);
        }
        if (webhookMaxAttempts < 1) {
            throw new IllegalArgumentException("webhookMaxAttempts must be >= 1, got " + webhookMaxAttempts);
        }
        if (webhookDuplicates < 0) {
            throw new IllegalArgumentException("webhookDuplicates must be >= 0, got " + webhookDuplicates);
        }
        if (minPartSize < 1) {
            throw new IllegalArgumentException("minPartSize must be >= 1, got " + minPartSize);
        }
        Objects.requireNonNull(finishedStatusWord, "finishedStatusWord");
        if (!finishedStatusWord.matches("[A-Za-z][A-Za-z_-]*") || finishedStatusWord.equals("running")
                || finishedStatusWord.equals("failed")) {
            throw new IllegalArgumentException("finishedStatusWord must be a word other than running and failed"
                    + " (letters, '_' and '-'), got '" + finishedStatusWord + "'");
        }
        webhookOmit = webhookOmit == null ? List.of() : List.copyOf(webhookOmit);
        for (String f : webhookOmit) {
            if (!OMITTABLE_WEBHOOK_FIELDS.contains(f)) {
                throw new IllegalArgumentException("webhookOmit may name only " + OMITTABLE_WEBHOOK_FIELDS
                        + ", got '" + f + "'");
            }
        }
    }

    private static void requirePositive(Duration d, String name, boolean zeroAllowed) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public static SandboxConfig defaults() {
        return new SandboxConfig("127.0.0.1", 0, "sandbox-api-key", null, "sandbox-webhook-secret",
                Path.of("data", "sandbox"), Duration.ofSeconds(3), Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(24), List.of(), 0.0, 8, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 0, false, 1_000_000L, 5L * 1024 * 1024, true, "finished", List.of());
    }

    /** True when webhooks are delivered at all: enabled and a URL to send them to. */
    boolean deliversWebhooks() {
        return webhooksEnabled && webhookUrl != null && !webhookUrl.isBlank();
    }

    public SandboxConfig withHost(String v) {
        return new SandboxConfig(v, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withPort(int v) {
        return new SandboxConfig(host, v, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withApiKey(String v) {
        return new SandboxConfig(host, port, v, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookUrl(String v) {
        return new SandboxConfig(host, port, apiKey, v, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookSecret(String v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, v, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withDataDir(Path v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, v, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withTaskDuration(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, v, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withDeliverableTtl(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, v, uploadUrlTtl,
                idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff, webhookMaxBackoff,
                webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withUploadUrlTtl(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                v, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withIdempotencyTtl(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, v, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff, webhookMaxBackoff,
                webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withFailTaskWhen(List<String> v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, v, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withFailRate(double v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, v, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookMaxAttempts(int v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, v, webhookInitialBackoff, webhookMaxBackoff,
                webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookInitialBackoff(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, v, webhookMaxBackoff,
                webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookMaxBackoff(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff, v,
                webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookTimeout(Duration v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, v, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookDuplicates(int v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, v, webhookOutOfOrder, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhookOutOfOrder(boolean v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, v, credits, minPartSize, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withCredits(long v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, v, minPartSize,
                webhooksEnabled, finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withMinPartSize(long v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, v, webhooksEnabled,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withWebhooksEnabled(boolean v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize, v,
                finishedStatusWord, webhookOmit);
    }

    public SandboxConfig withFinishedStatusWord(String v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, v, webhookOmit);
    }

    public SandboxConfig withWebhookOmit(List<String> v) {
        return new SandboxConfig(host, port, apiKey, webhookUrl, webhookSecret, dataDir, taskDuration, deliverableTtl,
                uploadUrlTtl, idempotencyTtl, failTaskWhen, failRate, webhookMaxAttempts, webhookInitialBackoff,
                webhookMaxBackoff, webhookTimeout, webhookDuplicates, webhookOutOfOrder, credits, minPartSize,
                webhooksEnabled, finishedStatusWord, v);
    }

    /** Never print the API key or the webhook secret. */
    @Override
    public String toString() {
        return "SandboxConfig[host=" + host + ", port=" + port + ", webhookUrl=" + webhookUrl + ", dataDir=" + dataDir
                + ", taskDuration=" + taskDuration + ", failTaskWhen=" + failTaskWhen + ", failRate=" + failRate
                + ", webhooksEnabled=" + webhooksEnabled + ", finishedStatusWord=" + finishedStatusWord
                + ", webhookOmit=" + webhookOmit + "]";
    }
}
