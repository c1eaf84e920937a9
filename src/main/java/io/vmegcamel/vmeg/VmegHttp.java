package io.vmegcamel.vmeg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the VMEG call routes ({@code routes/vmeg-api.camel.yaml}) cannot say in YAML: where VMEG is, the Bearer
 * value, the {@code req_id}, and how an answer reads. Success is "HTTP 2xx and envelope code 200"; anything else
 * becomes a {@link VmegException} ({@code httpStatus} 0 = no answer). Never logs the API key, and logs presigned
 * URLs without their query.
 */
public final class VmegHttp {

    /** Exchange property: the call being made, for logs and errors (e.g. {@code POST /openapi/v1/...}). */
    public static final String OPERATION = "vmegOperation";
    private static final Logger LOG = LoggerFactory.getLogger(VmegHttp.class);

    private final String baseUrl;
    private final String apiKey;
    private final ObjectMapper json;

    public VmegHttp(String baseUrl, String apiKey, ObjectMapper json) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.json = json;
    }

    /** The API base URL plus the call's path. */
    public String url(@Header("VmegPath") String path) {
        return baseUrl + path;
    }

    /**
     * The query string: the caller's (already encoded) plus {@code req_id}, VMEG's support reference. It follows
     * the idempotency key, so a resend of the same POST has the same req_id; a GET gets a fresh one.
     */
    public String query(@Header("X-Idempotency-Key") String idempotencyKey, @Header("VmegQuery") String query) {
        String reqId = reqId(idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        return (query == null || query.isBlank() ? "" : query + "&") + "req_id=" + reqId;
    }

    public String authorization() {
        return "Bearer " + apiKey;
    }

    /** 32 hex characters, VMEG's own req_id format, taken from the idempotency key (or a fresh UUID). */
    public static String reqId(String seed) {
        String hex = seed.replace("-", "").toLowerCase(Locale.ROOT);
        return hex.matches("[0-9a-f]{32,}") ? hex.substring(0, 32) : IdempotencyKeys.sha256Hex(seed).substring(0, 32);
    }

    /** An API answer: returns the envelope's {@code data} (may be a JSON null) or throws {@link VmegException}. */
    public JsonNode data(Exchange exchange) {
        String operation = operation(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode envelope = null;
        try {
            envelope = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            // not JSON: reported below with the HTTP status
        }
        boolean isEnvelope = envelope != null && envelope.isObject() && envelope.path("code").isInt();
        int code = isEnvelope ? envelope.get("code").asInt() : status;
        if (status / 100 == 2 && isEnvelope && code == 200) {
            LOG.info("VMEG {} -> {}", operation, status);
            return envelope.path("data");
        }
        LOG.warn("VMEG {} -> HTTP {}{}", operation, status, isEnvelope ? ", code " + code : " (not an envelope)");
        String message = isEnvelope ? envelope.path("message").asText("")
                : snippet(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        throw new VmegException(operation, status, code, message, retryAfter(exchange), isEnvelope, null);
    }

    /** A presigned PUT's answer: 2xx, returns its ETag without quotes (or null); otherwise throws. */
    public String stored(Exchange exchange) {
        String operation = operation(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            String text = exchange.getMessage().getBody(String.class);
            LOG.warn("VMEG {} -> HTTP {}", operation, status);
            throw new VmegException(operation, status, status, snippet(text), retryAfter(exchange), null);
        }
        LOG.info("VMEG {} -> {}", operation, status);
        String eTag = exchange.getMessage().getHeader("ETag", String.class);
        return eTag == null ? null : eTag.replace("\"", "");
    }

    /**
     * A call that failed without a readable answer: rethrows a {@link VmegException} as it is; a connection
     * error, a timeout or an open circuit breaker becomes one with {@code httpStatus} 0 (retryable).
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        VmegException vmeg = VmegException.in(failure);
        if (vmeg != null) {
            throw vmeg;
        }
        String operation = operation(exchange);
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && !(cause instanceof IOException)
                && !(cause instanceof CallNotPermittedException)) {
            cause = cause.getCause();
        }
        String why = cause instanceof CallNotPermittedException
                ? "circuit breaker open: VMEG failed repeatedly, calls are paused for a while"
                : String.valueOf(cause);
        LOG.warn("VMEG {} -> no answer: {}", operation, why);
        throw new VmegException(operation, 0, 0, why, null, failure);
    }

    /** Rethrows a failure kept aside while a clean-up step ran (e.g. the abort of a multipart upload). */
    public void rethrow(@ExchangeProperty("vmegFailure") Throwable failure) throws Exception {
        if (failure instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }

    /** A presigned PUT for logs and errors: host and path, never the signature in its query. */
    public String putOperation(@Header("VmegPutUrl") String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return "PUT " + (q < 0 ? url : url.substring(0, q));
    }

    private static String operation(Exchange exchange) {
        String operation = exchange.getProperty(OPERATION, String.class);
        return operation != null ? operation : "call";
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Exchange exchange) {
        String value = exchange.getMessage().getHeader("Retry-After", String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    private static String snippet(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    @Override
    public String toString() {
        return "VmegHttp[" + baseUrl + ", api key ***]";
    }
}
