package io.vmegcamel.sandbox;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/** {@code GET|HEAD /cdn/<path>?Expires=..&Signature=..}: serves data-dir files with sendFile after checking the URL. */
final class CdnHandler {

    private static final String PREFIX = "/cdn/";

    private final Sandbox s;

    CdnHandler(Sandbox s) {
        this.s = s;
    }

    void get(RoutingContext ctx) {
        String path = ctx.request().path();
        S3Error denied = s.signer.verifyCdn(path, ctx.request().query());
        if (denied != null) {
            denied.send(ctx.response());
            return;
        }
        Path file = s.store.cdnFile(path.substring(PREFIX.length()));
        if (file == null) {
            new S3Error(404, "NoSuchKey", "The specified key does not exist.").send(ctx.response());
            return;
        }
        ctx.response().putHeader("Content-Type", MediaTypes.mimeType(file.getFileName().toString()));
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", Long.toString(file.toFile().length())).end();
        } else {
            ctx.response().sendFile(file.toString());
        }
    }
}
