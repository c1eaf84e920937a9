package io.vmegcamel.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One API request as seen by an endpoint handler: strict body and query access. */
final class ApiCall {

    final RoutingContext ctx;

    ApiCall(RoutingContext ctx) {
        this.ctx = ctx;
    }

    /** The JSON object body; Content-Type must be application/json. */
    Fields body() {
        requireJsonContentType();
        Buffer b = ctx.body().buffer();
        return Fields.root(Json.parseRequest(b == null ? null : b.getBytes()));
    }

    /** For endpoints whose body the docs call optional: an empty body reads as {}. */
    Fields optionalBody() {
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            return Fields.root(Json.object());
        }
        return body();
    }

    private void requireJsonContentType() {
        String ct = ctx.request().getHeader("Content-Type");
        String mime = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!"application/json".equals(mime)) {
            throw ApiException.badRequest("Content-Type must be application/json"
                    + (ct == null ? " (header missing)" : " (got \"" + ct + "\")"));
        }
    }

    /** Rejects query parameters not listed (req_id is always allowed) and repeated parameters. */
    ApiCall queryOnly(String... allowed) {
        Set<String> ok = Set.of(allowed);
        MultiMap q = ctx.queryParams();
        for (String name : q.names()) {
            if (!ok.contains(name) && !"req_id".equals(name)) {
                throw ApiException.badRequest("unknown query parameter '" + name + "'"
                        + (allowed.length == 0 ? "; this endpoint takes none besides req_id"
                        : "; allowed: " + String.join(", ", allowed) + ", req_id"));
            }
            if (q.getAll(name).size() > 1) {
                throw ApiException.badRequest("query parameter '" + name + "' must be given only once");
            }
        }
        return this;
    }

    String query(String name) {
        return ctx.queryParams().get(name);
    }

    String queryEnum(String name, List<String> allowed) {
        String v = query(name);
        if (v != null && !allowed.contains(v)) {
            throw ApiException.badRequest("query parameter '" + name + "' must be one of: " + String.join(", ", allowed)
                    + " (got \"" + v + "\")");
        }
        return v;
    }

    int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be an integer within " + min + ".." + max
                + " (got \"" + v + "\")");
    }
}
