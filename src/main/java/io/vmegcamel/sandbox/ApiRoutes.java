package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code /openapi/v1} gate and endpoint registry. Check order for every call: body size (1 MiB), auth,
 * injected fault, idempotency header (the key is consumed here), then the endpoint's own body parsing/validation;
 * an injectAfter armed for the call replaces whatever answer that produces.
 *
 * <p>STRICT reading where the docs are silent: a key is consumed as soon as the header passes its checks, even
 * if the body is then rejected (400/402/404...). A retry after fixing the body therefore needs a new key.
 */
final class ApiRoutes {

    static final String BASE = "/openapi/v1/";
    static final long BODY_LIMIT = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    private final Router router;
    private final SandboxConfig config;
    private final Idempotency idempotency;
    private final FaultInjector faults;
    private final Map<String, String> methods = new HashMap<>();

    ApiRoutes(Router router, SandboxConfig config, Idempotency idempotency, FaultInjector faults) {
        this.router = router;
        this.config = config;
        this.idempotency = idempotency;
        this.faults = faults;
        router.route(BASE + "*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route(BASE + "*").handler(this::authenticate);
        router.route(BASE + "*").handler(this::injectedFault);
        router.route(BASE + "*").failureHandler(this::failure);
    }

    /** A POST endpoint; {@code idempotent} = requires and consumes X-Idempotency-Key. */
    ApiRoutes post(String path, boolean idempotent, ApiHandler handler) {
        methods.put(BASE + path, "POST");
        router.post(BASE + path).handler(ctx -> run(ctx, idempotent, handler));
        return this;
    }

    ApiRoutes get(String path, ApiHandler handler) {
        methods.put(BASE + path, "GET");
        router.get(BASE + path).handler(ctx -> run(ctx, false, handler));
        return this;
    }

    /** Must be called after all endpoints: unknown paths and wrong methods. */
    void finish() {
        router.route(BASE + "*").handler(ctx -> {
            String expected = methods.get(ctx.request().path());
            if (expected != null) {
                Envelope.error(ctx, 405, "Method " + ctx.request().method() + " not allowed on "
                        + ctx.request().path() + "; use " + expected);
            } else {
                Envelope.error(ctx, 404, "No such endpoint: " + ctx.request().method() + " " + ctx.request().path());
            }
        });
    }

    private void authenticate(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        byte[] expected = ("Bearer " + config.apiKey()).getBytes(StandardCharsets.UTF_8);
        if (faults.apiKeyRevoked()
                || auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8))) {
            Envelope.error(ctx, 401, "Invalid or missing API Key");
            return;
        }
        ctx.next();
    }

    /** An injectFault answers now; an injectAfter is remembered and replaces the answer (see {@link Envelope}). */
    private void injectedFault(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        FaultInjector.Fault f = faults.take(FaultInjector.Fault.class, method, path);
        if (f != null) {
            Envelope.send(ctx, f.httpStatus(), f.code(), f.message(), null);
            return;
        }
        SandboxServer.After after = faults.take(SandboxServer.After.class, method, path);
        if (after != null) {
            ctx.put(Envelope.AFTER_KEY, after);
        }
        ctx.next();
    }

    private void run(RoutingContext ctx, boolean idempotent, ApiHandler handler) {
        Future<JsonNode> result;
        try {
            if (idempotent) {
                String key = Idempotency.validate(ctx.request().getHeader(Idempotency.HEADER));
                if (!idempotency.tryUse(config.apiKey(), ctx.request().path(), key)) {
                    ctx.response().putHeader("Retry-After", "2");
                    Envelope.error(ctx, 409, "Idempotency key already used");
                    return;
                }
            }
            result = handler.handle(new ApiCall(ctx));
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                Envelope.ok(ctx, ar.result());
            } else {
                respondError(ctx, ar.cause());
            }
        });
    }

    private void respondError(RoutingContext ctx, Throwable t) {
        if (t instanceof ApiException e) {
            Envelope.error(ctx, e.code(), e.getMessage());
        } else {
            LOG.error("sandbox internal error on {} {}", ctx.request().method(), ctx.request().path(), t);
            Envelope.error(ctx, 500, "Internal sandbox error: " + t);
        }
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            Envelope.error(ctx, 413, "Request body exceeds the limit of " + BODY_LIMIT + " bytes (1 MiB)");
        } else if (status >= 400 && status < 500) {
            Envelope.error(ctx, status, "Bad request");
        } else {
            respondError(ctx, ctx.failure() == null ? new IllegalStateException("failed") : ctx.failure());
        }
    }
}
