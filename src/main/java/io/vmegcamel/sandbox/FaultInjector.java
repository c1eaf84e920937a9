package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Canned envelopes the next N matching API calls answer instead of being processed (set via injectFault). */
final class FaultInjector {

    record Fault(String method, String path, int httpStatus, int code, String message) {
    }

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(Fault fault, int times) {
        if (times > 0) {
            armed.add(new Armed(new Fault(fault.method(), normalize(fault.path()), fault.httpStatus(), fault.code(),
                    fault.message()), times));
        }
    }

    /** "/openapi/v1/tasks/list" as given; "tasks/list" or "/tasks/list" are taken relative to /openapi/v1/. */
    static String normalize(String path) {
        if (path.startsWith("/openapi/")) {
            return path;
        }
        return ApiRoutes.BASE + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** Consumes one use of the first fault matching method and exact path, or returns null. */
    synchronized Fault take(String method, String path) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.fault.method().toUpperCase(Locale.ROOT).equals(method) && a.fault.path().equals(path)) {
                if (--a.remaining <= 0) {
                    it.remove();
                }
                return a.fault;
            }
        }
        return null;
    }
}
