package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The runtime API faults: canned answers for the next N matching calls, armed by method and exact path, either
 * instead of processing ({@link Fault}, via injectFault) or after it ({@link SandboxServer.After}, via injectAfter),
 * and the revoked-key switch.
 */
final class FaultInjector {

    /** Answered before processing: {@code {code, message, data:null}} with this HTTP status. */
    record Fault(int httpStatus, int code, String message) {
    }

    private static final class Armed {
        final String method;
        final String path;
        final Object answer;
        int remaining;

        Armed(String method, String path, Object answer, int remaining) {
            this.method = method;
            this.path = path;
            this.answer = answer;
            this.remaining = remaining;
        }
    }

    private final List<Armed> armed = new ArrayList<>();
    private volatile boolean apiKeyRevoked;

    /** {@code answer} is a {@link Fault} or a {@link SandboxServer.After}. */
    synchronized void add(String method, String path, Object answer, int times) {
        if (times > 0) {
            armed.add(new Armed(method.toUpperCase(Locale.ROOT), path.startsWith("storage part ") ? path
                    : normalize(path), answer, times));
        }
    }

    /** "/openapi/v1/tasks/list" as given; "tasks/list" or "/tasks/list" are taken relative to /openapi/v1/. */
    static String normalize(String path) {
        if (path.startsWith("/openapi/")) {
            return path;
        }
        return ApiRoutes.BASE + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** Consumes one use of the first armed answer of that type matching method and exact path, or returns null. */
    synchronized <T> T take(Class<T> type, String method, String path) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (type.isInstance(a.answer) && a.method.equals(method) && a.path.equals(path)) {
                if (--a.remaining <= 0) {
                    it.remove();
                }
                return type.cast(a.answer);
            }
        }
        return null;
    }

    /** Arms {@code after} for the next {@code times} storage PUTs of multipart part {@code partNumber}. */
    void addPart(int partNumber, SandboxServer.After after, int times) {
        add("PUT", partKey(partNumber), after, times);
    }

    /** Consumes one use of the answer armed for a PUT of part {@code partNumber}, or returns null. */
    SandboxServer.After takePart(int partNumber) {
        return take(SandboxServer.After.class, "PUT", partKey(partNumber));
    }

    /** Not a path: no API call can match it. */
    private static String partKey(int partNumber) {
        return "storage part " + partNumber;
    }

    boolean apiKeyRevoked() {
        return apiKeyRevoked;
    }

    void setApiKeyRevoked(boolean revoked) {
        apiKeyRevoked = revoked;
    }
}
