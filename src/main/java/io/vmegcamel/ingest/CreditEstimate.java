package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * VMEG's documented media-translation pricing, read on the safe side for a guard: 60 credits per started minute of
 * the source material, and lip sync adds 60 per started minute (the API pricing page says "commonly +60", the help
 * center +30: a guard must not under-estimate). Per target language; an estimate, never a bill.
 */
public final class CreditEstimate {

    public static final long CREDITS_PER_MINUTE = 60;
    public static final long LIPSYNC_CREDITS_PER_MINUTE = 60;

    private CreditEstimate() {
    }

    /** Started minutes: anything under a minute is billed as a full minute. */
    public static long minutes(long durationMs) {
        return Math.max(1, (durationMs + 59_999) / 60_000);
    }

    public static long perLanguage(long durationMs, boolean lipsync) {
        return minutes(durationMs) * (CREDITS_PER_MINUTE + (lipsync ? LIPSYNC_CREDITS_PER_MINUTE : 0));
    }

    /** Whether the spec's options ask for lip sync ({@code options.lipsync.enable}). */
    public static boolean lipsync(JsonNode options) {
        return options.path("lipsync").path("enable").asBoolean(false);
    }
}
