package io.vmegcamel.ledger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code webhook_event} table: the durable inbox of VMEG's callbacks. */
public final class Events {

    private static final String COLUMNS =
            "id, pipeline_key, event, vmeg_task_id, origin, body, state, attempts, error, received_at";

    private final Jdbc jdbc;

    Events(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores an event; empty when an event with this pipelineKey is already stored (a retry or duplicate). */
    public Optional<Long> insert(String pipelineKey, String event, String vmegTaskId, String origin, String body) {
        try {
            jdbc.update("INSERT INTO webhook_event (pipeline_key, event, vmeg_task_id, origin, body, state, attempts, "
                            + "received_at, updated_at) VALUES (?,?,?,?,?,'RECEIVED',0,?,?)",
                    pipelineKey, event, vmegTaskId, origin, body, Jdbc.now(), Jdbc.now());
        } catch (LedgerException e) {
            if (e.isUniqueViolation()) {
                return Optional.empty();
            }
            throw e;
        }
        return jdbc.one("SELECT id FROM webhook_event WHERE pipeline_key = ?", rs -> rs.getLong(1), pipelineKey);
    }

    /** An event to store; {@code state} RECEIVED (to be processed) or IGNORED (with {@code error} saying why). */
    public record NewEvent(String pipelineKey, String event, String vmegTaskId, String origin, String body,
                           String state, String error) {
    }

    /**
     * Stores the events in one transaction, each only if its pipelineKey is not stored yet: per event its id, or
     * empty for a duplicate (already stored, or an earlier event of the same list with that key). First as if
     * every key were new, the rule in a burst: multi-row INSERTs (one round trip per 500 rows on PostgreSQL) and
     * no query for the keys, which in H2 costs more than the inserts. A stored key fails that on the unique key;
     * it is rolled back and the keys are looked up first. A key another writer stores meanwhile (a poll, a second
     * instance) fails that too: tried again, it sees that row as a duplicate.
     */
    public List<Optional<Long>> insertAll(List<NewEvent> events) {
        if (events.stream().map(NewEvent::pipelineKey).distinct().count() == events.size()) {
            try {
                Map<String, Long> ids = jdbc.inTransaction(() -> jdbc.insertRows(INSERT_INTO, TUPLE, "pipeline_key",
                        rows(events), row -> (String) row[0]));
                return events.stream().map(e -> Optional.of(ids.get(e.pipelineKey()))).toList();
            } catch (LedgerException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.inTransaction(() -> insertAbsent(events));
            } catch (LedgerException e) {
                if (!e.isUniqueViolation() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private List<Optional<Long>> insertAbsent(List<NewEvent> events) {
        Set<String> taken = new HashSet<>(idsOf(events.stream().map(NewEvent::pipelineKey).distinct().toList())
                .keySet());
        List<NewEvent> fresh = new ArrayList<>();
        for (NewEvent e : events) {
            if (taken.add(e.pipelineKey())) {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return Collections.nCopies(events.size(), Optional.empty());
        }
        jdbc.batch(INSERT, rows(fresh));
        Map<String, Long> ids = idsOf(fresh.stream().map(NewEvent::pipelineKey).toList());
        List<Optional<Long>> result = new ArrayList<>(events.size());
        Set<String> answered = new HashSet<>();
        for (NewEvent e : events) {
            boolean isNew = ids.containsKey(e.pipelineKey()) && answered.add(e.pipelineKey());
            result.add(isNew ? Optional.of(ids.get(e.pipelineKey())) : Optional.empty());
        }
        return result;
    }

    private static final String INSERT_INTO = "INSERT INTO webhook_event (pipeline_key, event, vmeg_task_id, origin, "
            + "body, state, attempts, error, received_at, updated_at)";
    private static final String TUPLE = "(?,?,?,?,?,?,0,?,?,?)";
    private static final String INSERT = INSERT_INTO + " VALUES " + TUPLE;

    private static List<Object[]> rows(List<NewEvent> events) {
        OffsetDateTime now = Jdbc.now();
        return events.stream().map(e -> new Object[] {e.pipelineKey(), e.event(), e.vmegTaskId(), e.origin(),
                e.body(), e.state(), e.error(), now, now}).toList();
    }

    /** pipelineKey -> id of the stored events among {@code keys}. */
    private Map<String, Long> idsOf(List<String> keys) {
        Map<String, Long> found = new HashMap<>();
        if (!keys.isEmpty()) {
            String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
            jdbc.list("SELECT id, pipeline_key FROM webhook_event WHERE pipeline_key IN (" + marks + ")",
                    rs -> found.put(rs.getString(2), rs.getLong(1)), keys.toArray());
        }
        return found;
    }

    public Optional<StoredEvent> get(long id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM webhook_event WHERE id = ?", StoredEvent::map, id);
    }

    public List<StoredEvent> forTask(String vmegTaskId) {
        return jdbc.list("SELECT " + COLUMNS + " FROM webhook_event WHERE vmeg_task_id = ? ORDER BY id",
                StoredEvent::map, vmegTaskId);
    }

    public Optional<StoredEvent> byPipelineKey(String pipelineKey) {
        return jdbc.one("SELECT " + COLUMNS + " FROM webhook_event WHERE pipeline_key = ?", StoredEvent::map, pipelineKey);
    }

    public int count() {
        return jdbc.one("SELECT COUNT(*) FROM webhook_event", rs -> rs.getInt(1)).orElse(0);
    }

    /**
     * Takes the event for processing. Succeeds for a new event, for one whose earlier processing failed, and
     * for one whose processor vanished (lease older than {@code leaseExpiredBefore}, e.g. after a crash); but not
     * while another event of the same VMEG task is being processed (a webhook and a poll, or two webhooks): two
     * deliveries of one task at once would write its files and its manifest over each other. Such an event stays
     * as it is, and the sweeper offers it again. Claims of one task's events queue on its task row, so two
     * processors cannot both pass the check.
     */
    public boolean claim(long id, Instant leaseExpiredBefore) {
        return jdbc.inTransaction(() -> {
            jdbc.list("SELECT id FROM task WHERE vmeg_task_id = (SELECT vmeg_task_id FROM webhook_event WHERE id = ?) "
                    + "FOR UPDATE", rs -> rs.getString(1), id);
            return jdbc.update("UPDATE webhook_event e SET state = 'PROCESSING', attempts = attempts + 1, "
                            + "updated_at = ? WHERE e.id = ? AND (e.state IN ('RECEIVED', 'FAILED') "
                            + "OR (e.state = 'PROCESSING' AND e.updated_at < ?)) AND NOT EXISTS (SELECT 1 FROM "
                            + "webhook_event o WHERE o.vmeg_task_id = e.vmeg_task_id AND o.id <> e.id "
                            + "AND o.state = 'PROCESSING' AND o.updated_at >= ?)",
                    Jdbc.now(), id, leaseExpiredBefore, leaseExpiredBefore) == 1;
        });
    }

    /**
     * Renews the lease of events still being processed (their processor is alive), so that {@link #due} and
     * {@link #claim} leave them alone. Returns how many rows were renewed.
     */
    public int renew(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        Object[] params = new Object[ids.size() + 1];
        params[0] = Jdbc.now();
        int i = 1;
        for (Long id : ids) {
            params[i++] = id;
        }
        return jdbc.update("UPDATE webhook_event SET updated_at = ? WHERE state = 'PROCESSING' AND id IN (" + marks + ")",
                params);
    }

    /** Marks the event FAILED for good: its attempts are used up, so the sweeper never runs it again. */
    public void giveUp(long id, String error, int maxAttempts) {
        jdbc.update("UPDATE webhook_event SET state = 'FAILED', error = ?, attempts = GREATEST(attempts, ?), "
                + "updated_at = ? WHERE id = ?", error, maxAttempts, Jdbc.now(), id);
    }

    public void finish(long id, String state, String error) {
        jdbc.update("UPDATE webhook_event SET state = ?, error = ?, updated_at = ? WHERE id = ?",
                state, error, Jdbc.now(), id);
    }

    /** Events that need (another) processing run: never claimed, failed a while ago, or abandoned. */
    public List<Long> due(Instant receivedBefore, Instant retryFailedBefore, int maxAttempts, Instant leaseExpiredBefore,
                          int limit) {
        return jdbc.list("SELECT id FROM webhook_event WHERE (state = 'RECEIVED' AND received_at < ?) "
                        + "OR (state = 'FAILED' AND attempts < ? AND updated_at < ?) "
                        + "OR (state = 'PROCESSING' AND updated_at < ?) ORDER BY id FETCH FIRST " + limit + " ROWS ONLY",
                rs -> rs.getLong(1), receivedBefore, maxAttempts, retryFailedBefore, leaseExpiredBefore);
    }
}
