package io.vmegcamel.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET|HEAD /cdn/<path>?Expires=..&Signature=..}: serves data-dir files with sendFile after checking the URL.
 * A download fault set at runtime changes what a valid GET gets (HEAD is never affected); see
 * {@link SandboxServer.DownloadFault}.
 */
final class CdnHandler {

    private static final String PREFIX = "/cdn/";
    private static final Logger LOG = LoggerFactory.getLogger(CdnHandler.class);

    private final Sandbox s;
    private volatile SandboxServer.DownloadFault fault = SandboxServer.DownloadFault.none();
    /** Redirects answered so far per CDN path, under the current fault. */
    private final Map<String, Integer> redirects = new HashMap<>();

    CdnHandler(Sandbox s) {
        this.s = s;
    }

    void setFault(SandboxServer.DownloadFault f) {
        synchronized (redirects) {
            fault = f;
            redirects.clear();
        }
    }

    void get(RoutingContext ctx) {
        String path = ctx.request().path();
        S3Error denied = s.signer.verifyCdn(path, ctx.request().query());
        if (denied != null) {
            denied.send(ctx.response());
            return;
        }
        String relPath = path.substring(PREFIX.length());
        Path file = s.store.cdnFile(relPath);
        if (file == null) {
            new S3Error(404, "NoSuchKey", "The specified key does not exist.").send(ctx.response());
            return;
        }
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Type", MediaTypes.mimeType(file.getFileName().toString()));
        long size = file.toFile().length();
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Long.toString(size)).end();
            return;
        }
        SandboxServer.DownloadFault f = fault;
        int hop = f.kind == SandboxServer.DownloadFault.Kind.REDIRECT ? nextRedirect(relPath, f) : 0;
        if (hop > 0) {
            // a later expiry per hop: each Location differs from the URL asked for and from the previous hops
            String next = s.signer.cdnUrl(relPath, s.config.deliverableTtl().plusSeconds(hop));
            response.headers().remove("Content-Type");
            response.setStatusCode(302).putHeader("Location", next).end();
        } else if (f.kind == SandboxServer.DownloadFault.Kind.STALL_AFTER) {
            sendPrefix(ctx, file, size, f.bytes, false);
        } else if (f.kind == SandboxServer.DownloadFault.Kind.TRUNCATE_AFTER && f.bytes < size) {
            sendPrefix(ctx, file, size, f.bytes, true);
        } else {
            response.sendFile(file.toString());
        }
    }

    /** The number (1..hops) of the redirect this GET gets under fault {@code f}, or 0 when it is to be served. */
    private int nextRedirect(String relPath, SandboxServer.DownloadFault f) {
        synchronized (redirects) {
            int done = redirects.getOrDefault(relPath, 0);
            if (fault != f || done >= f.hops) {
                return 0; // changed meanwhile, or done
            }
            redirects.put(relPath, done + 1);
            return done + 1;
        }
    }

    /**
     * Status, headers (Content-Length of the whole file) and the first {@code bytes} bytes; then either closes the
     * connection ({@code close}) or sends nothing more, leaving the response open until the client disconnects or
     * the sandbox closes (no thread is held).
     */
    private void sendPrefix(RoutingContext ctx, Path file, long size, long bytes, boolean close) {
        int n = (int) Math.min(Math.min(bytes, size), Integer.MAX_VALUE);
        HttpServerResponse response = ctx.response();
        s.vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).compose(af -> {
            return af.read(Buffer.buffer(n), 0, 0, n).eventually(v -> af.close());
        }).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("sandbox CDN could not read {}", file, ar.cause());
                ctx.request().connection().close();
                return;
            }
            response.setStatusCode(200).putHeader("Content-Length", Long.toString(size));
            response.write(ar.result()).onComplete(w -> {
                if (close) {
                    LOG.info("sandbox GET {} -> truncated after {} of {} bytes (injected)", ctx.request().path(), n,
                            size);
                    ctx.request().connection().close();
                } else {
                    LOG.info("sandbox GET {} -> stalled after {} of {} bytes (injected)", ctx.request().path(), n,
                            size);
                }
            });
        });
    }
}
