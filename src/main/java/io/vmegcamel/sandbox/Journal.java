package io.vmegcamel.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records every request in arrival order and writes one log line per request. The entry is completed in a
 * headers-end hook, i.e. before the client can see the response, so a caller that got its answer always finds
 * the final status in the journal. Never logs headers or query strings (they carry keys and signatures).
 */
final class Journal {

    static final String BODY_SIZE_KEY = "vmeg.bodySize";
    private static final Logger LOG = LoggerFactory.getLogger("io.vmegcamel.sandbox");
    private static final byte[] EMPTY = new byte[0];

    private static final class Entry {
        final String method;
        final String path;
        final String rawQuery;
        final Map<String, List<String>> headers;
        volatile byte[] body = EMPTY;
        volatile long bodySize;
        volatile int status;

        Entry(HttpServerRequest req) {
            method = req.method().name();
            path = req.path();
            rawQuery = req.query();
            Map<String, List<String>> h = new LinkedHashMap<>();
            req.headers().forEach(e -> h.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(e.getValue()));
            h.replaceAll((k, v) -> List.copyOf(v));
            headers = Collections.unmodifiableMap(h);
        }

        RecordedRequest toRecord() {
            return new RecordedRequest(method, path, rawQuery, headers, body.clone(), bodySize, status);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void handle(RoutingContext ctx) {
        Entry e = new Entry(ctx.request());
        synchronized (entries) {
            entries.add(e);
        }
        ctx.addHeadersEndHandler(v -> finish(ctx, e));
        ctx.next();
    }

    private void finish(RoutingContext ctx, Entry e) {
        e.status = ctx.response().getStatusCode();
        boolean api = e.path.startsWith("/openapi/");
        Buffer body = api ? ctx.body().buffer() : null;
        if (body != null) {
            e.body = body.getBytes();
            e.bodySize = e.body.length;
        } else {
            Long size = ctx.get(BODY_SIZE_KEY);
            e.bodySize = size == null ? 0 : size;
        }
        Integer code = ctx.get(Envelope.CODE_KEY);
        LOG.info("sandbox {} {} -> {}{}", e.method, e.path, e.status, code == null ? "" : " (code " + code + ")");
    }

    List<RecordedRequest> snapshot() {
        synchronized (entries) {
            return entries.stream().map(Entry::toRecord).toList();
        }
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }
}
