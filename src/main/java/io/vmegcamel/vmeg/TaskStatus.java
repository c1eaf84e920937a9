package io.vmegcamel.vmeg;

import java.util.Locale;
import java.util.Set;

/**
 * What a VMEG task status word means. The docs promise {@code running}, {@code finished} and {@code failed} for
 * webhooks, but type {@code tasks/detail}'s status as a free string ("includes dubbed media URLs when status is
 * complete"). So every common word for done counts as finished and every common word for an end without result
 * as failed, case-insensitively; anything else (running, queued, pending, processing, unknown, missing) is still
 * running, and the task is simply asked about again later: a wrong "finished" or "failed" would be worse than a
 * late one.
 */
public enum TaskStatus {
    RUNNING, FINISHED, FAILED;

    static final Set<String> FINISHED_WORDS = Set.of("finished", "complete", "completed", "success", "succeeded");
    static final Set<String> FAILED_WORDS = Set.of("failed", "failure", "fail", "error", "errored",
            "cancelled", "canceled", "aborted", "timeout", "timed_out");

    public static TaskStatus of(String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        if (FINISHED_WORDS.contains(w)) {
            return FINISHED;
        }
        return FAILED_WORDS.contains(w) ? FAILED : RUNNING;
    }
}
