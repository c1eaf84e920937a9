package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes the VMEG response envelope {@code {"code","message","data"}}, or the injectAfter answer replacing it. */
final class Envelope {

    /** RoutingContext key under which the business code is kept for the request log line. */
    static final String CODE_KEY = "vmeg.code";
    /** RoutingContext key of the {@link SandboxServer.After} that replaces this call's answer, if any. */
    static final String AFTER_KEY = "vmeg.after";

    private Envelope() {
    }

    static void ok(RoutingContext ctx, JsonNode data) {
        send(ctx, 200, 200, "", data);
    }

    static void error(RoutingContext ctx, int code, String message) {
        send(ctx, code, code, message, null);
    }

    static void send(RoutingContext ctx, int httpStatus, int code, String message, JsonNode data) {
        if (ctx.response().ended()) {
            return;
        }
        SandboxServer.After after = ctx.get(AFTER_KEY);
        if (after != null) {
            ctx.remove(AFTER_KEY);
            ctx.put(CODE_KEY, code); // the log line shows the code the call would have answered
            after.answer(ctx);
            return;
        }
        ObjectNode env = Json.object();
        env.put("code", code);
        env.put("message", message == null ? "" : message);
        env.set("data", data == null ? NullNode.instance : data);
        ctx.put(CODE_KEY, code);
        ctx.response().setStatusCode(httpStatus).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(env)));
    }
}
