package io.vmegcamel.app;

import io.vmegcamel.ingest.MaterialUploader;
import io.vmegcamel.ingest.Profile;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.storage.StoragePlaces;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * Every {@code vmeg.*} setting, typed and checked once at start-up. Each property can also be given as an
 * environment variable (upper case, dots and dashes as underscores: {@code vmeg.inbox-dir} = {@code VMEG_INBOX_DIR}),
 * which wins over the properties files. The README's configuration table lists them all.
 */
public record Settings(
        boolean sandbox,
        String baseUrl,
        String apiKey,
        List<String> webhookSecrets,
        String publicUrl,
        Path inboxDir,
        Path outboxDir,
        Path processingDir,
        Path archiveDir,
        Path failedDir,
        Path dataDir,
        String ledgerUrl,
        String ledgerUsername,
        String ledgerPassword,
        int ledgerPoolSize,
        List<String> targetLanguages,
        String sourceLanguage,
        String options,
        long multipartThreshold,
        int uploadPartParallelism,
        long uploadMinPartSize,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration transferTimeout,
        Duration webhookTolerance,
        Duration eventRetryAfter,
        int eventMaxAttempts,
        Duration eventLease,
        Duration eventYieldQuiet,
        Duration eventYieldMax,
        Duration reconcileAfter,
        Duration confirmAfter,
        Duration giveUpAfter,
        Duration retryAfterCap,
        Downloads downloads,
        SandboxSettings sandboxSettings,
        StuckWindows stuckWindows,
        Map<String, Profile> profiles,
        Path heldDir,
        CostCaps costCaps) {

    public static final String REAL_API = "https://api.vmeg.ai";
    public static final String SANDBOX_API_KEY = "sandbox-api-key";
    public static final String SANDBOX_WEBHOOK_SECRET = "sandbox-webhook-secret";
    public static final String WEBHOOK_PATH = "/webhooks/vmeg";

    /**
     * Downloads of a finished task's results.
     *
     * @param readTimeout  longest silence of a download's connection (no header, no body byte)
     * @param concurrency  deliverables downloaded at the same time
     * @param allowedHosts hosts a result may come from ({@code host} or {@code *.domain}); empty: any
     * @param maxBytes     largest result accepted; 0: no cap
     * @param maxRedirects CDN redirects followed per download
     */
    public record Downloads(Duration readTimeout, int concurrency, List<String> allowedHosts, long maxBytes,
                            int maxRedirects) {
    }

    /** Settings of the built-in VMEG sandbox (only used when {@code vmeg.sandbox=true}). */
    public record SandboxSettings(
            int port,
            Path dataDir,
            Duration taskDuration,
            Duration deliverableTtl,
            List<String> failTaskWhen,
            double failRate,
            int webhookDuplicates,
            boolean webhookOutOfOrder,
            long credits,
            long minPartSize,
            boolean webhooksEnabled,
            String finishedStatusWord,
            List<String> webhookOmit) {
    }

    /**
     * The cost guard's caps in estimated credits (0: no cap): one job (all its languages), and every task submitted
     * on one UTC day.
     */
    public record CostCaps(long perJob, long perDay) {
    }

    /** When waiting work counts as stuck (health check {@code vmeg-stuck-work}, gauge {@code vmeg_stuck_work}). */
    public record StuckWindows(
            Duration submittingAfter,
            Duration silentAfter,
            Duration unfinishedAfter,
            Duration stalledAfter) {
    }

    /**
     * Reads the settings. Their defaults live in {@code application.properties} only; here, just the ones that
     * depend on whether the sandbox is on.
     */
    public static Settings load(PropertiesComponent properties) {
        StoragePlaces.apply(properties); // vmeg.inbox / vmeg.outbox decide where the local folders are
        Reader r = new Reader(properties);
        boolean sandbox = r.bool("vmeg.sandbox");
        String apiKey = r.optional("vmeg.api-key", sandbox ? SANDBOX_API_KEY : null);
        String secrets = r.optional("vmeg.webhook.secret", sandbox ? SANDBOX_WEBHOOK_SECRET : null);
        if (apiKey == null) {
            throw new IllegalArgumentException("VMEG_API_KEY (vmeg.api-key) is required when the sandbox is off "
                    + "(VMEG_SANDBOX=false). Create a key on https://www.vmeg.ai/open-api-setting.");
        }
        if (secrets == null) {
            throw new IllegalArgumentException("VMEG_WEBHOOK_SECRET (vmeg.webhook.secret) is required when the sandbox "
                    + "is off: copy the Webhook Secret from https://www.vmeg.ai/open-api-setting.");
        }
        Path dataDir = r.path("vmeg.data-dir");
        SandboxSettings sandboxSettings = new SandboxSettings(
                r.integer("vmeg.sandbox.port"),
                dataDir.resolve("sandbox"),
                r.duration("vmeg.sandbox.task-duration"),
                r.duration("vmeg.sandbox.deliverable-ttl"),
                r.list("vmeg.sandbox.fail-task-when"),
                r.decimal("vmeg.sandbox.fail-rate"),
                r.integer("vmeg.sandbox.webhook-duplicates"),
                r.bool("vmeg.sandbox.webhook-out-of-order"),
                r.longValue("vmeg.sandbox.credits"),
                r.longValue("vmeg.sandbox.min-part-size"),
                r.bool("vmeg.sandbox.webhooks-enabled"),
                // checked by the sandbox's own rules, reported with the property's name
                r.parse("vmeg.sandbox.finished-status-word",
                        v -> SandboxConfig.defaults().withFinishedStatusWord(v).finishedStatusWord()),
                r.list("vmeg.sandbox.webhook-omit"));
        r.check("vmeg.sandbox.webhook-omit", () -> SandboxConfig.defaults().withWebhookOmit(
                sandboxSettings.webhookOmit()));
        return new Settings(
                sandbox,
                r.optional("vmeg.base-url", sandbox ? null : REAL_API),
                apiKey,
                Arrays.stream(secrets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                r.string("vmeg.public-url"),
                r.path("vmeg.inbox-dir"),
                r.path("vmeg.outbox-dir"),
                r.path("vmeg.processing-dir"),
                r.path("vmeg.archive-dir"),
                r.path("vmeg.failed-dir"),
                dataDir,
                r.string("vmeg.ledger.url"),
                r.string("vmeg.ledger.username"),
                r.optional("vmeg.ledger.password", ""),
                r.integer("vmeg.ledger.pool-size"),
                r.list("vmeg.target-languages"),
                r.string("vmeg.source-language"),
                r.verbatim("vmeg.options"),
                r.longValue("vmeg.upload.multipart-threshold"),
                r.atLeastOne("vmeg.upload.part-parallelism"),
                r.partSize("vmeg.upload.min-part-size"),
                r.duration("vmeg.http.connect-timeout"),
                r.duration("vmeg.http.request-timeout"),
                r.duration("vmeg.http.transfer-timeout"),
                r.duration("vmeg.webhook.tolerance"),
                r.duration("vmeg.events.retry-after"),
                r.integer("vmeg.events.max-attempts"),
                r.positive(r.duration("vmeg.events.lease"), "vmeg.events.lease"),
                // read by the routes ({{millis:...}}); checked here so a bad value is named before they are built
                r.duration("vmeg.events.yield-quiet"),
                r.duration("vmeg.events.yield-max"),
                r.duration("vmeg.reconcile.after"),
                r.duration("vmeg.submission.confirm-after"),
                r.duration("vmeg.submission.give-up-after"),
                r.duration("vmeg.retry.retry-after-cap"),
                downloads(r),
                sandboxSettings,
                new StuckWindows(
                        r.duration("vmeg.stuck.submitting-after"),
                        r.duration("vmeg.stuck.silent-after"),
                        r.duration("vmeg.stuck.unfinished-after"),
                        r.duration("vmeg.stuck.stalled-after")),
                Profiles.read(properties, System.getenv()),
                r.path("vmeg.held-dir"),
                new CostCaps(r.nonNegative("vmeg.cost.max-credits-per-job"),
                        r.nonNegative("vmeg.cost.max-credits-per-day")));
    }

    /** Every setting but the API key, the webhook secrets and the ledger password (masked). */
    @Override
    public String toString() {
        return Redacted.toString(this, Set.of("apiKey", "webhookSecrets", "ledgerPassword"));
    }

    private static Downloads downloads(Reader r) {
        Downloads d = new Downloads(
                r.positive(r.duration("vmeg.http.read-timeout"), "vmeg.http.read-timeout"),
                r.integer("vmeg.concurrency.downloads"),
                r.list("vmeg.download.allowed-hosts").stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(),
                r.longValue("vmeg.download.max-bytes"),
                r.integer("vmeg.download.max-redirects"));
        if (d.concurrency() < 1) {
            throw new IllegalArgumentException("Setting vmeg.concurrency.downloads (VMEG_CONCURRENCY_DOWNLOADS) must be "
                    + "at least 1");
        }
        if (d.maxBytes() < 0 || d.maxRedirects() < 0) {
            throw new IllegalArgumentException("Settings vmeg.download.max-bytes and vmeg.download.max-redirects "
                    + "(VMEG_DOWNLOAD_MAX_BYTES, VMEG_DOWNLOAD_MAX_REDIRECTS) must not be negative");
        }
        return d;
    }

    /** The webhook URL VMEG must call (configure it on VMEG's API Configuration page). */
    public String webhookUrl() {
        return publicUrl.replaceAll("/+$", "") + WEBHOOK_PATH;
    }

    /** Reads and checks one property at a time, naming the property and its variable in every error. */
    private static final class Reader {
        private final PropertiesComponent properties;

        Reader(PropertiesComponent properties) {
            this.properties = properties;
        }

        /** The value, or {@code fallback} when the property is missing or blank. */
        String optional(String key, String fallback) {
            return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
        }

        String string(String key) {
            String value = optional(key, null);
            if (value == null) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") is missing or blank");
            }
            return value;
        }

        /**
         * A value read verbatim, without placeholder resolution: JSON such as {@code {"a":{"b":1}}} ends in
         * "}}", which Camel would take for the end of a placeholder. Same precedence: environment, system
         * property, properties files.
         */
        String verbatim(String key) {
            String value = Optional.ofNullable(System.getenv(envName(key))).or(() -> Optional.ofNullable(
                            System.getProperty(key)))
                    .orElseGet(() -> properties.loadProperties(key::equals).getProperty(key));
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") is missing or blank");
            }
            return value.trim();
        }

        boolean bool(String key) {
            return parse(key, v -> switch (v.toLowerCase()) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException("expected true or false");
            });
        }

        int integer(String key) {
            return parse(key, Integer::parseInt);
        }

        long longValue(String key) {
            return parse(key, Long::parseLong);
        }

        int atLeastOne(String key) {
            int value = integer(key);
            if (value < 1) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") must be at least 1");
            }
            return value;
        }

        long nonNegative(String key) {
            long value = longValue(key);
            if (value < 0) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") must be 0 (no cap) "
                        + "or positive");
            }
            return value;
        }

        /** 0 up to S3's largest part, 5 GiB. */
        long partSize(String key) {
            long value = longValue(key);
            if (value < 0 || value > MaterialUploader.MAX_PART_SIZE) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") must be between 0"
                        + " and " + MaterialUploader.MAX_PART_SIZE + " bytes (S3's largest part)");
            }
            return value;
        }

        double decimal(String key) {
            return parse(key, Double::parseDouble);
        }

        /** 500ms, 30s, 5m, 2h (or milliseconds). */
        Duration duration(String key) {
            return parse(key, v -> Duration.ofMillis(TimeUtils.toMilliSeconds(v)));
        }

        Duration positive(Duration value, String key) {
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") must be positive");
            }
            return value;
        }

        Path path(String key) {
            return parse(key, v -> Path.of(v).toAbsolutePath().normalize());
        }

        /** Comma-separated; may be empty. */
        List<String> list(String key) {
            return Arrays.stream(optional(key, "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        /** Runs a check of the value already read, reporting its failure with the property's name. */
        void check(String key, Runnable check) {
            try {
                check.run();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") = '"
                        + optional(key, "") + "' is invalid: " + e.getMessage(), e);
            }
        }

        private <T> T parse(String key, Function<String, T> parser) {
            String value = string(key);
            try {
                return parser.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Setting " + key + " (" + envName(key) + ") = '" + value
                        + "' is invalid: " + e.getMessage(), e);
            }
        }

        static String envName(String key) {
            return key.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }
}
