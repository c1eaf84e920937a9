package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process emulation of the VMEG Open API with its own Vert.x instance: the {@code /openapi/v1} API,
 * presigned object storage ({@code PUT /storage/...}) and a signed CDN ({@code GET /cdn/...}), all on one port.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    private final Sandbox sandbox;
    private final Vertx vertx;
    private final HttpServer server;
    private final Journal journal;
    private final FaultInjector faults;

    private SandboxServer(Sandbox sandbox, Vertx vertx, HttpServer server, Journal journal, FaultInjector faults) {
        this.sandbox = sandbox;
        this.vertx = vertx;
        this.server = server;
        this.journal = journal;
        this.faults = faults;
    }

    /** Starts and blocks until listening. */
    public static SandboxServer start(SandboxConfig config) {
        Vertx vertx = Vertx.vertx();
        Sandbox s;
        try {
            s = new Sandbox(config, vertx);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        Journal journal = new Journal();
        FaultInjector faults = new FaultInjector();
        Router router = Router.router(vertx);
        router.route().handler(journal::handle);
        ApiRoutes api = new ApiRoutes(router, config, s.idempotency, faults);
        MaterialApi materials = new MaterialApi(s);
        materials.register(api);
        new MultipartApi(s, materials).register(api);
        new MediaTranslationApi(s).register(api);
        new TasksApi(s).register(api);
        new TtsApi(s).register(api);
        new TranslateApi(s).register(api);
        new VoiceApi(s).register(api);
        api.finish();
        router.put("/storage/*").handler(new StorageHandler(s)::put);
        CdnHandler cdn = new CdnHandler(s);
        router.get("/cdn/*").handler(cdn::get);
        router.head("/cdn/*").handler(cdn::get);
        router.route().handler(ctx -> new S3Error(404, "NoSuchKey", "No such resource").send(ctx.response()));

        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()))
                .requestHandler(router);
        try {
            server.listen(config.port(), config.host()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            s.webhooks.close();
            s.state.abandon();
            vertx.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof BindException ? "address already in use" : String.valueOf(cause);
            throw new IllegalStateException("VMEG sandbox cannot listen on " + config.host() + ":" + config.port()
                    + ": " + why, cause);
        }
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        s.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort();
        LOG.info("VMEG sandbox listening on {} (data dir {})", s.baseUrl, s.store.root());
        s.resume();
        return new SandboxServer(s, vertx, server, journal, faults);
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return sandbox.baseUrl;
    }

    /** Every HTTP request received, in order (API, storage and CDN). */
    public List<RecordedRequest> journal() {
        return journal.snapshot();
    }

    public void clearJournal() {
        journal.clear();
    }

    /** Every webhook delivery attempt, in order. */
    public List<WebhookAttempt> webhookAttempts() {
        return sandbox.webhooks.attempts();
    }

    /** The task as tasks/detail would return its data (freshly signed URLs); empty if unknown or deleted. */
    public Optional<JsonNode> task(String taskId) {
        Task t = sandbox.tasks.get(taskId);
        return t == null ? Optional.empty() : Optional.of(t.detail(sandbox.signer, sandbox.config.deliverableTtl()));
    }

    /** Sets the balance (saved like every other change, so it survives a restart). */
    public void setCredits(long credits) {
        sandbox.credits.set(credits);
    }

    /**
     * The next {@code times} API calls with this method and exact path answer {@code {code, message, data:null}}
     * with {@code httpStatus}, after auth and without consuming their idempotency key. The path is the full request
     * path ({@code /openapi/v1/tasks/list}); a path not starting with {@code /openapi/} is taken relative to
     * {@code /openapi/v1/}. No query string.
     */
    public void injectFault(String method, String path, int httpStatus, int code, String message, int times) {
        faults.add(new FaultInjector.Fault(method, path, httpStatus, code, message), times);
    }

    /**
     * Stops the server, timers and the webhook sender, then saves the final state to the data dir: a sandbox
     * started again on it still knows every material, task, key and balance, ends the tasks that were running
     * and delivers the webhooks that were not acknowledged.
     */
    @Override
    public void close() {
        sandbox.closing = true;
        sandbox.webhooks.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("VMEG sandbox did not close cleanly: {}", e.toString());
        }
        sandbox.state.close();
    }
}
