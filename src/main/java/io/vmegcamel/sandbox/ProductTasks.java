package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.util.Arrays;

/** Shared sync/async plumbing of TTS, text translation and voice clone (§6). */
final class ProductTasks {

    private ProductTasks() {
    }

    /** The body, restricted to {@code fields} (+ extraData on async). extraData on a sync create is a 400. */
    static Fields body(ApiCall call, boolean async, String asyncPath, String... fields) {
        Fields b = call.queryOnly().body();
        if (!async && b.has("extraData")) {
            throw ApiException.badRequest("field 'extraData' is only accepted on the async endpoint " + asyncPath);
        }
        String[] allowed = async ? Arrays.copyOf(fields, fields.length + 1) : fields;
        if (async) {
            allowed[fields.length] = "extraData";
        }
        return b.only(allowed);
    }

    /** Sync: the result data now. Async: {taskId, createdAt} now, the webhook later. */
    static Future<JsonNode> submit(Sandbox s, Task t) {
        if (!t.async) {
            return s.runner.runSync(t);
        }
        s.runner.startAsync(t);
        ObjectNode data = Json.object();
        data.put("taskId", t.taskId);
        data.put("createdAt", Ids.iso(t.createdAt));
        return Future.succeededFuture(data);
    }

    /** The start of every product payload: {taskId, ...}. createdAt is appended by {@link #finish}. */
    static ObjectNode payload(Task t) {
        ObjectNode o = Json.object();
        o.put("taskId", t.taskId);
        return o;
    }

    static ObjectNode finish(ObjectNode payload, Task t) {
        payload.put("createdAt", Ids.iso(t.createdAt));
        return payload;
    }

    /** Last path segment of a URL, for name:&lt;glob&gt; fault rules. */
    static String fileNameOf(String url) {
        String path = url.split("[?#]", 2)[0];
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
