package io.vmegcamel.sandbox;

/** A business error answered as the envelope {@code {code, message, data:null}} with HTTP status = code. */
final class ApiException extends RuntimeException {

    private final int code;

    ApiException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
