package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.DeliverableFiles;
import io.vmegcamel.delivery.Deliverables;
import io.vmegcamel.delivery.DownloadPolicy;
import io.vmegcamel.delivery.Manifests;
import io.vmegcamel.delivery.PartFiles;
import io.vmegcamel.ingest.InboxGate;
import io.vmegcamel.ingest.InboxQuarantine;
import io.vmegcamel.ingest.Intake;
import io.vmegcamel.ingest.JobCompletion;
import io.vmegcamel.ingest.CostGuard;
import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.MaterialUploader;
import io.vmegcamel.ingest.Repair;
import io.vmegcamel.ingest.SourceFiles;
import io.vmegcamel.ingest.SourceMoves;
import io.vmegcamel.ingest.TaskSubmitter;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.sandbox.SandboxConfig;
import io.vmegcamel.sandbox.SandboxServer;
import io.vmegcamel.vmeg.LazyTlsHttpComponent;
import io.vmegcamel.vmeg.VmegAccess;
import io.vmegcamel.vmeg.VmegAccessHealthCheck;
import io.vmegcamel.vmeg.VmegHttp;
import io.vmegcamel.webhook.EventCorrelator;
import io.vmegcamel.webhook.EventJournal;
import io.vmegcamel.webhook.EventLeases;
import io.vmegcamel.webhook.Reconciler;
import io.vmegcamel.webhook.SignatureVerifier;
import io.vmegcamel.webhook.SubmissionConfirmer;
import io.vmegcamel.webhook.WebhookIntake;
import io.vmegcamel.storage.StorageHealthCheck;
import io.vmegcamel.util.Futures;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.Configuration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bundle: reads {@link Settings}, starts the built-in VMEG sandbox when enabled, opens (and migrates)
 * the ledger, and binds the beans the YAML routes call by name. Named in application.properties
 * ({@code camel.main.configuration-classes}), so the runnable jar and the tests wire the same way.
 */
@Configuration
public class VmegConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(VmegConfiguration.class);
    /** VMEG keeps idempotency keys 24 h; never resend a paid request with a key older than this. */
    public static final Duration KEY_WINDOW = Duration.ofHours(23);
    /** Where a newly stored webhook event goes to be processed: consumed by the stored-events route. */
    private static final String STORED_EVENTS = "seda:stored-events?waitForTaskToComplete=Never&discardWhenFull=true";
    /** Registry name of the {@link Clock} the key window is measured with; a test may bind its own first. */
    public static final String CLOCK = "vmegClock";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.load(context.getPropertiesComponent());
        PortCheck.requireFree(context);
        DurationFunction.register(context.getPropertiesComponent());
        Registry registry = context.getRegistry();
        Clock clock = registry.lookupByNameAndType(CLOCK, Clock.class);
        if (clock == null) {
            clock = Clock.systemUTC();
            registry.bind(CLOCK, clock);
        }
        ObjectMapper json = new ObjectMapper();
        registry.bind("settings", settings);
        registry.bind("json", json);
        registry.bind("http", new LazyTlsHttpComponent()); // camel-http, TLS set up at the first https call

        // the ledger opens and migrates on a thread of its own while the rest starts beside it (bench/RESULTS.md,
        // cold start): the sandbox (a Vert.x server and its saved state), the job-spec schema, the wiring below
        // and the routes; nothing runs before the ledger is open (the start-up listener at the end). The data
        // folder first: H2 and the sandbox would both create it, and H2 fails when the folder appears between its
        // check and its create.
        Files.createDirectories(settings.dataDir());
        Ledger ledger = Ledger.opening(settings.ledgerUrl(), settings.ledgerUsername(), settings.ledgerPassword(),
                settings.ledgerPoolSize());
        CompletableFuture<SandboxServer> sandboxStart = settings.sandbox()
                ? CompletableFuture.supplyAsync(() -> SandboxServer.start(sandboxConfig(settings))) : null;
        CompletableFuture<JobSpecs> jobSpecsReady = CompletableFuture.supplyAsync(() -> new JobSpecs(json,
                settings.targetLanguages(), settings.sourceLanguage(), settings.options(), settings.profiles().values()));
        context.addService(new Closing("ledger", ledger));
        registry.bind("ledger", ledger);

        String baseUrl = settings.baseUrl();
        if (sandboxStart != null) {
            SandboxServer sandbox = Futures.join(sandboxStart);
            context.addService(new Closing("vmeg-sandbox", sandbox));
            registry.bind("vmegSandbox", sandbox);
            if (baseUrl == null) {
                baseUrl = sandbox.baseUrl();
            }
            context.addStartupListener(new SandboxBanner(baseUrl)); // after Camel's own start-up lines
        }
        registry.bind("vmegHealthCheck", new VmegHealthCheck(settings.sandbox(), baseUrl));
        registry.bind("vmegHttp", new VmegHttp(baseUrl, settings.apiKey(), json));

        Manifests manifests = new Manifests(json, settings.outboxDir(), ledger.jobs()::cost);
        registry.bind("manifests", manifests);
        SourceMoves moves = new SourceMoves(ledger);
        StorageWiring storage = StorageWiring.wire(context, settings, ledger, json, clock);
        JobCompletion completion = new JobCompletion(ledger, json, manifests, moves, settings.archiveDir(),
                settings.failedDir(), storage.publication());
        JobSpecs jobSpecs = Futures.join(jobSpecsReady);
        registry.bind("intake", new Intake(ledger, jobSpecs, json));
        registry.bind("materialUploader", new MaterialUploader(ledger, json, settings.multipartThreshold(),
                settings.uploadMinPartSize(), clock));
        // the threads that PUT multipart parts (split in upload.camel.yaml), shared by every file: at most this
        // many parts in flight at once. The queue must hold every waiting part: with Camel's default (no queue for
        // a size <= 0, and caller-runs when full) the split's own dispatching thread ran a part, and a part whose
        // PUT hung held back every part behind it.
        registry.bind("uploadPartPool", context.getExecutorServiceManager().newThreadPool(this, "vmeg-upload-parts",
                new ThreadPoolProfileBuilder("vmeg-upload-parts").poolSize(settings.uploadPartParallelism())
                        .maxPoolSize(settings.uploadPartParallelism()).maxQueueSize(Integer.MAX_VALUE)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build()));
        registry.bind("taskSubmitter", new TaskSubmitter(ledger, json, KEY_WINDOW, clock));
        InboxQuarantine quarantine = new InboxQuarantine(ledger);
        registry.bind("inboxQuarantine", quarantine);
        VmegAccess access = new VmegAccess();
        registry.bind("vmegAccess", access);
        HealthCheckRegistry.get(context).register(new VmegAccessHealthCheck(access));
        registry.bind("inboxGate", new InboxGate(access, quarantine));
        CostGuard costGuard = new CostGuard(ledger, json, clock, settings.costCaps().perJob(),
                settings.costCaps().perDay());
        registry.bind("costGuard", costGuard);
        SourceFiles sourceFiles = new SourceFiles(ledger, json, completion, moves, quarantine, costGuard,
                settings.processingDir(), settings.failedDir(), settings.heldDir());
        registry.bind("sourceFiles", sourceFiles);
        registry.bind("jobCompletion", completion);
        Repair repair = new Repair(ledger, moves, sourceFiles, completion, quarantine);
        registry.bind("repair", repair);
        // before any route runs: the ledger is open (or the start fails with its reason), and what the last crash
        // interrupted comes first
        PartFiles.removeLeftovers(List.of(settings.outboxDir(), settings.failedDir()));
        context.addStartupListener((started, alreadyStarted) -> {
            ledger.awaitOpen();
            quarantine.load();
            repair.run();
        });
        context.addStartupListener(new StuckWorkMonitor(ledger, settings.stuckWindows(), settings.eventMaxAttempts(),
                Clock.systemUTC()));
        registry.bind("retryAfterDelay", new RetryAfterDelay(settings.retryAfterCap()));
        registry.bind("retryPolicy", new RetryPolicy());

        SignatureVerifier verifier = new SignatureVerifier(settings.webhookSecrets(), settings.webhookTolerance(),
                Clock.systemUTC());
        // webhooks are journaled before their 2xx and moved into the ledger many per transaction; each newly
        // stored event goes to processing (webhook.camel.yaml). The SEDA queue takes it even before its consumer
        // runs (events a crash left are moved at start), and a full queue leaves it to the sweeper.
        ProducerTemplate handOver = context.createProducerTemplate();
        Endpoint storedEvents = context.getEndpoint(STORED_EVENTS); // resolved once, not per event
        EventJournal journal = new EventJournal(settings.dataDir().resolve("webhook-journal"),
                ledger.intakeEvents()::insertAll,
                id -> {
                    Exception failed = handOver.send(storedEvents, e -> e.setProperty(WebhookIntake.EVENT_ID, id))
                            .getException();
                    if (failed != null) {
                        throw new RuntimeCamelException(failed);
                    }
                },
                settings.eventYieldQuiet(), settings.eventYieldMax());
        context.addService(new Closing("webhook-journal", journal));
        context.addStartupListener((started, alreadyStarted) -> journal.start());
        registry.bind("webhookJournal", journal);
        registry.bind("webhookIntake", new WebhookIntake(verifier, journal, json));
        // a claimed event's lease (vmeg.events.lease) is renewed while its processing runs: a download may
        // last up to vmeg.http.transfer-timeout, far longer than the lease, and is never claimed twice
        EventLeases leases = new EventLeases(ledger.events(), settings.eventLease());
        context.addService(new Closing("event-leases", leases));
        registry.bind("eventCorrelator", new EventCorrelator(ledger, json, leases, settings.eventLease(),
                settings.eventRetryAfter(), settings.eventMaxAttempts()));
        Settings.Downloads downloads = settings.downloads();
        DownloadPolicy downloadPolicy = new DownloadPolicy(baseUrl, downloads.allowedHosts(), downloads.maxBytes(),
                downloads.maxRedirects());
        registry.bind("downloadPolicy", downloadPolicy);
        registry.bind("deliverableFiles", new DeliverableFiles(downloadPolicy, downloads.readTimeout(),
                settings.transferTimeout()));
        registry.bind("remoteStorage", storage.remoteStorage());
        HealthCheckRegistry.get(context).register(new StorageHealthCheck(storage.remoteStorage()));
        registry.bind("publication", storage.publication());
        registry.bind("deliverables", new Deliverables(ledger, json, manifests, downloadPolicy,
                storage.publication()));
        registry.bind("reconciler", new Reconciler(ledger, json, settings.reconcileAfter()));
        registry.bind("submissionConfirmer", new SubmissionConfirmer(ledger, json, clock, settings.confirmAfter(),
                settings.giveUpAfter()));

        LOG.info("vmeg-camel: VMEG at {}{}; drop files into {} (spec: <file>{} or defaults {}), results in {}; "
                        + "VMEG must send webhooks to {}; ledger {}",
                baseUrl, settings.sandbox() ? " (built-in sandbox, no account needed)" : "", settings.inboxDir(),
                JobSpecs.SIDECAR_SUFFIX, settings.targetLanguages(), settings.outboxDir(), settings.webhookUrl(),
                Redacted.url(settings.ledgerUrl()));
        LOG.info("vmeg-camel: inbox sub-folders: <lang>+<lang>/ or a profile {}; cost caps per job {}, per day {} "
                        + "credits (0: none), held jobs in {}", jobSpecs.profileNames(), settings.costCaps().perJob(),
                settings.costCaps().perDay(), settings.heldDir());
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
