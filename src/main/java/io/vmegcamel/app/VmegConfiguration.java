package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.Deliverables;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.ingest.Intake;
import io.vmegcamel.ingest.JobCompletion;
import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.MaterialUploader;
import io.vmegcamel.ingest.SourceFiles;
import io.vmegcamel.ingest.TaskSubmitter;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.VmegAccess;
import io.vmegcamel.vmeg.VmegAccessHealthCheck;
import io.vmegcamel.vmeg.VmegClient;
import io.vmegcamel.webhook.EventCorrelator;
import io.vmegcamel.webhook.Reconciler;
import io.vmegcamel.webhook.SignatureVerifier;
import io.vmegcamel.webhook.SubmissionConfirmer;
import io.vmegcamel.webhook.WebhookIntake;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bundle: reads {@link Settings}, starts the built-in VMEG sandbox when enabled, opens (and migrates)
 * the ledger, and binds the beans the YAML routes call by name. Found by Camel Main's package scan, so the
 * runnable jar and the tests wire the same way.
 */
@Configuration
public class VmegConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(VmegConfiguration.class);
    /** VMEG keeps idempotency keys 24 h; never resend a paid request with a key older than this. */
    private static final Duration KEY_WINDOW = Duration.ofHours(23);
    /** How long a claimed event is protected from a second processor (longer than any download). */
    private static final Duration EVENT_LEASE = Duration.ofMinutes(30);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.load(context.getPropertiesComponent());
        Registry registry = context.getRegistry();
        ObjectMapper json = new ObjectMapper();
        registry.bind("settings", settings);
        registry.bind("json", json);

        String baseUrl = settings.baseUrl();
        if (settings.sandbox()) {
            SandboxServer sandbox = SandboxServer.start(sandboxConfig(settings));
            context.addService(new Closing("vmeg-sandbox", sandbox));
            registry.bind("vmegSandbox", sandbox);
            if (baseUrl == null) {
                baseUrl = sandbox.baseUrl();
            }
        }

        Ledger ledger = Ledger.open(settings.ledgerUrl(), settings.ledgerUsername(), settings.ledgerPassword(),
                settings.ledgerPoolSize());
        context.addService(new Closing("ledger", ledger));
        registry.bind("ledger", ledger);

        VmegClient vmeg = new VmegClient(baseUrl, settings.apiKey(), json, settings.connectTimeout(),
                settings.requestTimeout(), settings.transferTimeout());
        registry.bind("vmegClient", vmeg);

        Manifests manifests = new Manifests(json, settings.outboxDir());
        JobCompletion completion = new JobCompletion(ledger, json, manifests, settings.archiveDir(),
                settings.failedDir());
        JobSpecs jobSpecs = new JobSpecs(json, settings.targetLanguages(), settings.sourceLanguage(),
                settings.options());
        registry.bind("intake", new Intake(ledger, jobSpecs, json));
        registry.bind("materialUploader", new MaterialUploader(ledger, vmeg, json, settings.multipartThreshold()));
        registry.bind("taskSubmitter", new TaskSubmitter(ledger, vmeg, json, KEY_WINDOW));
        registry.bind("sourceFiles", new SourceFiles(ledger, json, completion, settings.processingDir(),
                settings.failedDir()));
        registry.bind("jobCompletion", completion);
        registry.bind("retryAfterDelay", new RetryAfterDelay());
        registry.bind("retryPolicy", new RetryPolicy());
        VmegAccess access = new VmegAccess(context, "ingest");
        registry.bind("vmegAccess", access);
        HealthCheckRegistry.get(context).register(new VmegAccessHealthCheck(access));

        SignatureVerifier verifier = new SignatureVerifier(settings.webhookSecrets(), settings.webhookTolerance(),
                Clock.systemUTC());
        registry.bind("webhookIntake", new WebhookIntake(verifier, ledger.events(), json));
        registry.bind("eventCorrelator", new EventCorrelator(ledger, json, EVENT_LEASE, settings.eventRetryAfter(),
                settings.eventMaxAttempts()));
        registry.bind("deliverables", new Deliverables(ledger, vmeg, json, manifests));
        registry.bind("reconciler", new Reconciler(ledger, vmeg, json, settings.reconcileAfter()));
        registry.bind("submissionConfirmer", new SubmissionConfirmer(ledger, json, Clock.systemUTC(),
                settings.confirmAfter(), settings.giveUpAfter()));
        registry.bind("vmegClientStub", new io.vmegcamel.vmeg.VmegGetStub(vmeg));

        LOG.info("vmeg-camel: VMEG at {}{}; drop files into {} (spec: <file>{} or defaults {}), results in {}; "
                        + "VMEG must send webhooks to {}; ledger {}",
                baseUrl, settings.sandbox() ? " (built-in sandbox, no account needed)" : "", settings.inboxDir(),
                JobSpecs.SIDECAR_SUFFIX, settings.targetLanguages(), settings.outboxDir(), settings.webhookUrl(),
                settings.ledgerUrl().replaceAll("password=[^;&]*", "password=***"));
    }

    private static SandboxConfig sandboxConfig(Settings s) {
        Settings.SandboxSettings sb = s.sandboxSettings();
        return SandboxConfig.defaults()
                .withPort(sb.port())
                .withApiKey(s.apiKey())
                .withWebhookUrl(s.webhookUrl())
                .withWebhookSecret(s.webhookSecrets().get(0))
                .withDataDir(sb.dataDir())
                .withTaskDuration(sb.taskDuration())
                .withDeliverableTtl(sb.deliverableTtl())
                .withFailTaskWhen(sb.failTaskWhen())
                .withFailRate(sb.failRate())
                .withWebhookDuplicates(sb.webhookDuplicates())
                .withWebhookOutOfOrder(sb.webhookOutOfOrder())
                .withCredits(sb.credits())
                .withMinPartSize(sb.minPartSize())
                .withWebhooksEnabled(sb.webhooksEnabled())
                .withFinishedStatusWord(sb.finishedStatusWord())
                .withWebhookOmit(sb.webhookOmit());
    }
}
