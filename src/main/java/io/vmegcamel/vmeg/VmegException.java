package io.vmegcamel.vmeg;

import java.time.Duration;

/**
 * VMEG did not answer "HTTP 2xx and code 200". Carries what VMEG said, so that the error policy can decide per
 * status code, and so that the failed file's error report can quote it.
 *
 * <p>{@code httpStatus} 0 means no HTTP answer at all (connection refused, reset, timeout).
 */
public class VmegException extends RuntimeException {

    private final String operation;
    private final int httpStatus;
    private final int code;
    private final String vmegMessage;
    private final Duration retryAfter;
    private final boolean envelope;

    /** An answer that was not VMEG's JSON envelope, or no answer at all. */
    public VmegException(String operation, int httpStatus, int code, String vmegMessage, Duration retryAfter,
                         Throwable cause) {
        this(operation, httpStatus, code, vmegMessage, retryAfter, false, cause);
    }

    /** @param envelope the body was VMEG's JSON envelope ({@code code} and {@code message} read from it) */
    public VmegException(String operation, int httpStatus, int code, String vmegMessage, Duration retryAfter,
                         boolean envelope, Throwable cause) {
        super(describe(operation, httpStatus, code, vmegMessage), cause);
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.code = code;
        this.vmegMessage = vmegMessage;
        this.retryAfter = retryAfter;
        this.envelope = envelope;
    }

    private static String describe(String operation, int httpStatus, int code, String message) {
        if (httpStatus == 0) {
            return "VMEG " + operation + ": no answer (" + message + ")";
        }
        return "VMEG " + operation + ": HTTP " + httpStatus + ", code " + code
                + (message == null || message.isBlank() ? "" : ", \"" + message + "\"");
    }

    /** The VmegException in the cause chain of {@code failure} (EIPs such as split wrap it), or null. */
    public static VmegException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VmegException e) {
                return e;
            }
        }
        return null;
    }

    /** e.g. {@code POST /openapi/v1/task/media-translation/create-async}. */
    public String operation() {
        return operation;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    public String vmegMessage() {
        return vmegMessage;
    }

    /** The {@code Retry-After} VMEG sent, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Worth retrying unchanged: no answer, request timeout, throttled, or a server-side failure. */
    public boolean isRetryable() {
        return httpStatus == 0 || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500 || code == 429
                || code == 500 || code == 502;
    }

    /**
     * VMEG refused the request in a way its docs define (HTTP 400, 401, 402, 404, 413 or 422 with its JSON
     * envelope): nothing was created. Anything else after the request may have left could mean it was.
     */
    public boolean isDocumentedRefusal() {
        return envelope && switch (httpStatus) {
            case 400, 401, 402, 404, 413, 422 -> true;
            default -> false;
        };
    }

    /** The idempotency key of this request was used before (HTTP 409). */
    public boolean isKeyAlreadyUsed() {
        return httpStatus == 409 || code == 409;
    }

    /** VMEG refused the request itself (4xx other than 409/429): nothing was created, retrying unchanged is useless. */
    public boolean isDefinitive() {
        return !isRetryable() && !isKeyAlreadyUsed();
    }
}
