package io.vmegcamel.ledger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts of work that waits past its window, in one pass over the ledger (for health and metrics). */
public final class StuckWork {

    /** When each kind counts as stuck: rows older than these instants. */
    public record Cutoffs(Instant submittingBefore, Instant silentBefore, Instant unfinishedBefore,
            Instant stalledBefore, int eventMaxAttempts) {
    }

    /** The kinds, in the order health and metrics show them. */
    public static final String TASKS_SUBMITTING_UNCONFIRMED = "tasksSubmittingUnconfirmed";
    public static final String TASKS_SUBMITTED_SILENT = "tasksSubmittedSilent";
    public static final String EVENTS_EXHAUSTED = "eventsExhausted";
    public static final String JOBS_PROCESSING_UNFINISHED = "jobsProcessingUnfinished";
    public static final String JOBS_INGEST_STALLED = "jobsIngestStalled";
    public static final String FILES_QUARANTINED = "filesQuarantined";

    private final Jdbc jdbc;

    StuckWork(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> count(Cutoffs c) {
        Map<String, Long> counts = new LinkedHashMap<>();
        // create-async sent, outcome never recorded (409, lost or garbled answer) for longer than the confirm window
        counts.put(TASKS_SUBMITTING_UNCONFIRMED, count("SELECT COUNT(*) FROM task WHERE state = 'SUBMITTING' "
                + "AND COALESCE(first_sent_at, updated_at) < ?", c.submittingBefore()));
        // submitted long ago and no event for it since (the reconciler's polls touch updated_at: not used here)
        counts.put(TASKS_SUBMITTED_SILENT, count("SELECT COUNT(*) FROM task t WHERE t.state = 'SUBMITTED' "
                + "AND COALESCE(t.submitted_at, t.created_at) < ? AND NOT EXISTS (SELECT 1 FROM webhook_event e "
                + "WHERE e.vmeg_task_id = t.vmeg_task_id AND e.received_at >= ?)", c.silentBefore(), c.silentBefore()));
        counts.put(EVENTS_EXHAUSTED, count("SELECT COUNT(*) FROM webhook_event WHERE state = 'FAILED' AND attempts >= ?",
                c.eventMaxAttempts()));
        // every task ended, yet the job never finished (the repair should have done it)
        counts.put(JOBS_PROCESSING_UNFINISHED, count("SELECT COUNT(*) FROM job j WHERE j.state = 'PROCESSING' "
                + "AND j.updated_at < ? AND EXISTS (SELECT 1 FROM task t WHERE t.job_id = j.id) "
                + "AND NOT EXISTS (SELECT 1 FROM task t WHERE t.job_id = j.id "
                + "AND (t.state NOT IN ('DOWNLOADED', 'DELIVERED', 'FAILED', 'REJECTED') OR t.updated_at >= ?))",
                c.unfinishedBefore(), c.unfinishedBefore()));
        // an ingest that stopped half-way and was not resumed (file gone from the inbox, or quarantined)
        counts.put(JOBS_INGEST_STALLED, count("SELECT COUNT(*) FROM job WHERE state IN ('RECEIVED', 'UPLOADED', "
                + "'SUBMITTED') AND updated_at < ?", c.stalledBefore()));
        counts.put(FILES_QUARANTINED, count("SELECT COUNT(*) FROM quarantined_file"));
        return counts;
    }

    private long count(String sql, Object... params) {
        return jdbc.one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }
}
