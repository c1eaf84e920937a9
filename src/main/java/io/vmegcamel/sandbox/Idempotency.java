package io.vmegcamel.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers used (apiKey, path, X-Idempotency-Key) triples for the TTL. A triple is accepted once; any reuse within
 * the TTL is a 409 and the first response is NOT replayed (the docs describe no replay). A triple is kept as the
 * SHA-256 of its parts, so the saved state never holds the API key.
 */
final class Idempotency {

    static final String HEADER = "X-Idempotency-Key";
    static final int MAX_LENGTH = 64;

    private final Duration ttl;
    private final Runnable onChange;
    /** SHA-256 of the triple -> when it was used; it expires at used + ttl (the current ttl, also after a restart). */
    private final Map<String, Instant> used = new HashMap<>();

    Idempotency(Duration ttl, Runnable onChange) {
        this.ttl = ttl;
        this.onChange = onChange;
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
    boolean tryUse(String apiKey, String path, String key) {
        String id = id(apiKey, path, key);
        synchronized (this) {
            Instant now = Instant.now();
            dropExpired(now);
            if (used.containsKey(id)) {
                return false;
            }
            used.put(id, now);
        }
        onChange.run();
        return true;
    }

    /** Unexpired keys (hash -> time of use). */
    synchronized Map<String, Instant> snapshot() {
        dropExpired(Instant.now());
        return new LinkedHashMap<>(used);
    }

    /** Puts back keys saved before a restart; those expired meanwhile are dropped (no change is reported). */
    synchronized void restore(Map<String, Instant> saved) {
        used.putAll(saved);
        dropExpired(Instant.now());
    }

    private void dropExpired(Instant now) {
        used.values().removeIf(usedAt -> !usedAt.plus(ttl).isAfter(now));
    }

    private static String id(String apiKey, String path, String key) {
        try {
            return Ids.toHex(MessageDigest.getInstance("SHA-256")
                    .digest((apiKey + '\n' + path + '\n' + key).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
