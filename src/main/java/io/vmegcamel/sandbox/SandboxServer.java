package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process emulation of the VMEG Open API with its own Vert.x instance: the {@code /openapi/v1} API,
 * presigned object storage ({@code PUT /storage/...}) and a signed CDN ({@code GET /cdn/...}), all on one port.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    /** Body chunks of up to 64 KiB (Netty's default is 8 KiB): one file write per chunk on the upload path. */
    private static final int CHUNK = 64 * 1024;

    private final Sandbox sandbox;
    private final Vertx vertx;
    private final HttpServer server;
    private final Journal journal;
    private final FaultInjector faults;
    private final CdnHandler cdn;

    private SandboxServer(Sandbox sandbox, Vertx vertx, HttpServer server, Journal journal, FaultInjector faults,
                          CdnHandler cdn) {
        this.sandbox = sandbox;
        this.vertx = vertx;
        this.server = server;
        this.journal = journal;
        this.faults = faults;
        this.cdn = cdn;
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
        router.put("/storage/*").handler(new StorageHandler(s, faults)::put);
        CdnHandler cdn = new CdnHandler(s);
        router.get("/cdn/*").handler(cdn::get);
        router.head("/cdn/*").handler(cdn::get);
        router.route().handler(ctx -> new S3Error(404, "NoSuchKey", "No such resource").send(ctx.response()));

        HttpServer server = vertx.createHttpServer(
                        new HttpServerOptions().setHost(config.host()).setMaxChunkSize(CHUNK))
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
        return new SandboxServer(s, vertx, server, journal, faults, cdn);
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
        return t == null ? Optional.empty() : Optional.of(t.detail(sandbox.signer, sandbox.config.deliverableTtl(),
                sandbox.config.finishedStatusWord()));
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
        faults.add(method, path, new FaultInjector.Fault(httpStatus, code, message), times);
    }

    /**
     * The next {@code times} API calls with this method and exact path (as for {@link #injectFault}) that pass auth
     * and are not taken by an injectFault are processed exactly as usual (idempotency key consumed, material or task
     * created, credits charged, webhook sent later), and only their HTTP answer, whatever it would have been, is
     * replaced by {@code after}. An injectFault armed for the same call answers first and leaves this one armed.
     */
    public void injectAfter(String method, String path, After after, int times) {
        faults.add(method, path, Objects.requireNonNull(after, "after"), times);
    }

    /**
     * The next {@code times} presigned storage PUTs of multipart part {@code partNumber} (of any upload) that pass
     * the signature and upload checks are not stored: they get {@code after} instead ({@link After#stall()}: no
     * answer until the client gives up; {@link After#dropConnection()}; or a status). Not saved across a restart.
     */
    public void injectPartFault(int partNumber, After after, int times) {
        faults.addPart(partNumber, Objects.requireNonNull(after, "after"), times);
    }

    /**
     * While true, every API call ({@code /openapi/v1/**}) answers HTTP 401
     * {@code {"code":401,"message":"Invalid or missing API Key","data":null}} as if the key had been revoked; nothing
     * is processed and no idempotency key consumed. Storage and CDN URLs keep working. Not saved across a restart.
     */
    public void setApiKeyRevoked(boolean revoked) {
        faults.setApiKeyRevoked(revoked);
    }

    /**
     * From now on every valid CDN GET (the URLs in results and material objects) behaves as {@code f} says, until
     * the next call; {@link DownloadFault#none()} restores normal downloads. HEAD requests are never affected.
     * Setting a fault restarts the redirect counts. Not saved across a restart.
     */
    public void setDownloadFault(DownloadFault f) {
        cdn.setFault(Objects.requireNonNull(f, "f"));
    }

    /** How the CDN misbehaves on GET; see {@link #setDownloadFault}. */
    public static final class DownloadFault {

        enum Kind { NONE, STALL_AFTER, REDIRECT, TRUNCATE_AFTER }

        final Kind kind;
        final long bytes;
        final int hops;

        private DownloadFault(Kind kind, long bytes, int hops) {
            this.kind = kind;
            this.bytes = bytes;
            this.hops = hops;
        }

        /** Normal downloads. */
        public static DownloadFault none() {
            return new DownloadFault(Kind.NONE, 0, 0);
        }

        /**
         * 200 with the headers (Content-Length of the whole file), then the first {@code bytes} bytes of the body,
         * then nothing more: the response stays open until the client disconnects or the sandbox closes.
         */
        public static DownloadFault stallAfter(long bytes) {
            return new DownloadFault(Kind.STALL_AFTER, requireNonNegative(bytes), 0);
        }

        /**
         * The first {@code hops} GETs of each object answer 302 with a {@code Location} that is another validly
         * signed CDN URL of the same object (a later expiry per hop); the following GETs serve it.
         */
        public static DownloadFault redirect(int hops) {
            return new DownloadFault(Kind.REDIRECT, 0, (int) requireNonNegative(hops));
        }

        /**
         * 200 with Content-Length of the whole file, the first {@code bytes} bytes, then the connection is closed.
         * A file no longer than {@code bytes} is served whole.
         */
        public static DownloadFault truncateAfter(long bytes) {
            return new DownloadFault(Kind.TRUNCATE_AFTER, requireNonNegative(bytes), 0);
        }

        private static long requireNonNegative(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("must be >= 0, got " + n);
            }
            return n;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case NONE -> "DownloadFault.none()";
                case STALL_AFTER -> "DownloadFault.stallAfter(" + bytes + ")";
                case REDIRECT -> "DownloadFault.redirect(" + hops + ")";
                case TRUNCATE_AFTER -> "DownloadFault.truncateAfter(" + bytes + ")";
            };
        }
    }

    /** What a call armed with {@link #injectAfter} answers instead of its real answer. */
    public static final class After {

        private enum Kind { STATUS, DROP, STALL }

        private final Kind kind;
        private final int httpStatus;
        private final String body;

        private After(Kind kind, int httpStatus, String body) {
            this.kind = kind;
            this.httpStatus = httpStatus;
            this.body = body;
        }

        /**
         * This HTTP status (200..999, e.g. 200, 302, 408, 502, 599) with this body sent verbatim (any text, also
         * garbage or an envelope without taskId) and {@code Content-Type: application/json}; no other header.
         */
        public static After status(int httpStatus, String body) {
            if (httpStatus < 200 || httpStatus > 999) {
                throw new IllegalArgumentException("httpStatus must be within 200..999, got " + httpStatus);
            }
            return new After(Kind.STATUS, httpStatus, Objects.requireNonNull(body, "body"));
        }

        /** The connection is closed without any answer (the client sees a reset / premature EOF). */
        public static After dropConnection() {
            return new After(Kind.DROP, 0, null);
        }

        /**
         * No answer at all: the request stays open until the client gives up (or the sandbox is closed). Holds no
         * thread; the journal shows the request with status 0.
         */
        public static After stall() {
            return new After(Kind.STALL, 0, null);
        }

        /** Sends this instead of the real answer (called on the event loop). */
        void answer(RoutingContext ctx) {
            HttpServerResponse r = ctx.response();
            switch (kind) {
                case STATUS -> {
                    r.headers().clear(); // e.g. the Retry-After of a 409
                    r.setStatusCode(httpStatus).putHeader("Content-Type", "application/json").end(body);
                }
                case DROP -> {
                    LOG.info("sandbox {} {} -> connection dropped (injected)", ctx.request().method(),
                            ctx.request().path());
                    ctx.request().connection().close();
                }
                case STALL -> LOG.info("sandbox {} {} -> stalled, no answer (injected)", ctx.request().method(),
                        ctx.request().path());
            }
        }

        @Override
        public String toString() {
            return switch (kind) {
                case STATUS -> "After.status(" + httpStatus + ")";
                case DROP -> "After.dropConnection()";
                case STALL -> "After.stall()";
            };
        }
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
