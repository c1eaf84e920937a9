package io.vmegcamel.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers used (apiKey, path, X-Idempotency-Key) triples for the TTL. A triple is accepted once; any reuse within
 * the TTL is a 409 and the first response is NOT replayed (the docs describe no replay).
 */
final class Idempotency {

    static final String HEADER = "X-Idempotency-Key";
    static final int MAX_LENGTH = 64;

    private final Duration ttl;
    private final Map<String, Instant> used = new HashMap<>();

    Idempotency(Duration ttl) {
        this.ttl = ttl;
    }

    /** Validates the header value; returns the trimmed key or throws the documented 400. */
    static String validate(String raw) {
        if (raw == null || raw.trim().isEmpty()) {
            throw ApiException.badRequest("Missing required header " + HEADER
                    + " (a non-empty value of at most 64 characters)");
        }
        if (raw.length() > MAX_LENGTH) {
            throw ApiException.badRequest("Header " + HEADER + " must be at most " + MAX_LENGTH
                    + " characters (got " + raw.length() + ")");
        }
        return raw.trim();
    }

    /** True if the triple was free (and is now used), false if it is a reuse within the TTL. */
    synchronized boolean tryUse(String apiKey, String path, String key) {
        Instant now = Instant.now();
        used.values().removeIf(expiry -> !expiry.isAfter(now));
        String id = apiKey + '\n' + path + '\n' + key;
        if (used.containsKey(id)) {
            return false;
        }
        used.put(id, now.plus(ttl));
        return true;
    }
}
