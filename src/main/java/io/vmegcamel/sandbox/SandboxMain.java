package io.vmegcamel.sandbox;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs the sandbox alone, configured from the environment: VMEG_SANDBOX_HOST (default 127.0.0.1),
 * VMEG_SANDBOX_PORT (default 8089), VMEG_API_KEY, VMEG_WEBHOOK_URL, VMEG_WEBHOOK_SECRET (first of a comma-separated
 * list), VMEG_SANDBOX_DATA_DIR, VMEG_SANDBOX_TASK_DURATION (e.g. 3s, 500ms, 2m or PT3S),
 * VMEG_SANDBOX_WEBHOOKS_ENABLED (true/false), VMEG_SANDBOX_FINISHED_STATUS_WORD, VMEG_SANDBOX_WEBHOOK_OMIT (comma
 * list of pipelineKey, event), VMEG_SANDBOX_MIN_PART_SIZE (bytes); the names match the bundle's
 * {@code vmeg.sandbox.*} properties. Blocks until killed; a SIGTERM saves the final state to the data dir, which
 * the next start on it picks up.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxServer server = SandboxServer.start(config(SandboxMain::env));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "vmeg-sandbox-shutdown"));
        stopped.await();
    }

    /** The configuration that {@code env} (a variable's value, or null when unset or blank) gives. */
    static SandboxConfig config(Function<String, String> env) {
        SandboxConfig c = SandboxConfig.defaults().withPort(8089);
        String v;
        if ((v = env.apply("VMEG_SANDBOX_HOST")) != null) {
            c = c.withHost(v);
        }
        if ((v = env.apply("VMEG_SANDBOX_PORT")) != null) {
            c = c.withPort(Integer.parseInt(v));
        }
        if ((v = env.apply("VMEG_API_KEY")) != null) {
            c = c.withApiKey(v);
        }
        if ((v = env.apply("VMEG_WEBHOOK_URL")) != null) {
            c = c.withWebhookUrl(v);
        }
        if ((v = env.apply("VMEG_WEBHOOK_SECRET")) != null) {
            c = c.withWebhookSecret(v.split(",")[0].trim());
        }
        if ((v = env.apply("VMEG_SANDBOX_DATA_DIR")) != null) {
            c = c.withDataDir(Path.of(v));
        }
        if ((v = env.apply("VMEG_SANDBOX_TASK_DURATION")) != null) {
            c = c.withTaskDuration(Durations.parse(v));
        }
        if ((v = env.apply("VMEG_SANDBOX_WEBHOOKS_ENABLED")) != null) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("VMEG_SANDBOX_WEBHOOKS_ENABLED must be true or false, got '" + v + "'");
            }
            c = c.withWebhooksEnabled(Boolean.parseBoolean(v));
        }
        if ((v = env.apply("VMEG_SANDBOX_FINISHED_STATUS_WORD")) != null) {
            c = c.withFinishedStatusWord(v);
        }
        if ((v = env.apply("VMEG_SANDBOX_WEBHOOK_OMIT")) != null) {
            c = c.withWebhookOmit(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        if ((v = env.apply("VMEG_SANDBOX_MIN_PART_SIZE")) != null) {
            c = c.withMinPartSize(Long.parseLong(v));
        }
        return c;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
