package io.vmegcamel.downstream;

import io.vmegcamel.ledger.Jdbc;
import io.vmegcamel.ledger.Ledger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code outbox_event} and {@code outbox_delivery} tables (V7), for the state machine ({@link Outbox}), the
 * dispatcher and the operator: the only SQL outside the ledger package, kept beside the dispatcher it serves.
 */
public final class OutboxStore {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";

    /** An event the state machine recorded; {@code body} is null until it was routed. */
    public record Event(long seq, String id, String type, String jobId, String taskId, String subject,
                        Instant occurredAt, String body) {
        static Event map(ResultSet rs) throws SQLException {
            return new Event(rs.getLong("seq"), rs.getString("id"), rs.getString("type"), rs.getString("job_id"),
                    rs.getString("task_id"), rs.getString("subject"), Jdbc.instant(rs, "occurred_at"),
                    rs.getString("body"));
        }
    }

    /** One (event, endpoint) delivery. */
    public record Delivery(long id, String eventId, String type, String jobId, String subject, String endpointKey,
                           String endpoint, String state, int attempts, Instant nextAttemptAt, String lastError,
                           Instant occurredAt, Instant deliveredAt, String body) {
        static Delivery map(ResultSet rs) throws SQLException {
            return new Delivery(rs.getLong("id"), rs.getString("event_id"), rs.getString("type"),
                    rs.getString("job_id"), rs.getString("subject"), rs.getString("endpoint_key"),
                    rs.getString("endpoint"), rs.getString("state"), rs.getInt("attempts"),
                    Jdbc.instant(rs, "next_attempt_at"), rs.getString("last_error"),
                    Jdbc.instant(rs, "occurred_at"), Jdbc.instant(rs, "delivered_at"), rs.getString("body"));
        }
    }

    private static final String EVENT_COLUMNS = "seq, id, type, job_id, task_id, subject, occurred_at, body";
    private static final String DELIVERY = "SELECT d.id, d.event_id, e.type, e.job_id, e.subject, d.endpoint_key, "
            + "d.endpoint, d.state, d.attempts, d.next_attempt_at, d.last_error, e.occurred_at, d.delivered_at, "
            + "e.body FROM outbox_delivery d JOIN outbox_event e ON e.id = d.event_id ";

    private final Jdbc jdbc;

    public OutboxStore(Ledger ledger) {
        this.jdbc = ledger.jdbc();
    }

    /** Records an outcome event; inside the transaction of the state change that causes it ({@link Outbox}). */
    void record(String id, String type, String jobId, String taskId, String subject) {
        jdbc.update("INSERT INTO outbox_event (id, type, job_id, task_id, subject, occurred_at) VALUES (?,?,?,?,?,?)",
                id, type, jobId, taskId, subject, Jdbc.now());
    }

    public List<Event> unrouted(int limit) {
        return jdbc.list("SELECT " + EVENT_COLUMNS + " FROM outbox_event WHERE routed_at IS NULL ORDER BY seq "
                + "FETCH FIRST " + limit + " ROWS ONLY", Event::map);
    }

    public Optional<Event> event(String id) {
        return jdbc.one("SELECT " + EVENT_COLUMNS + " FROM outbox_event WHERE id = ?", Event::map, id);
    }

    public List<Event> eventsOfJob(String jobId) {
        return jdbc.list("SELECT " + EVENT_COLUMNS + " FROM outbox_event WHERE job_id = ? ORDER BY seq",
                Event::map, jobId);
    }

    public List<Event> recentEvents(int limit) {
        return jdbc.list("SELECT " + EVENT_COLUMNS + " FROM outbox_event ORDER BY seq DESC FETCH FIRST " + limit
                + " ROWS ONLY", Event::map);
    }

    /**
     * Freezes the event's body and creates one pending delivery per endpoint, in one transaction; false when
     * another dispatcher routed it first.
     */
    public boolean route(Event event, String body, List<Endpoint> endpoints) {
        return jdbc.inTransaction(() -> {
            if (jdbc.update("UPDATE outbox_event SET body = ?, routed_at = ? WHERE id = ? AND routed_at IS NULL",
                    body, Jdbc.now(), event.id()) != 1) {
                return false;
            }
            for (Endpoint e : endpoints) {
                addDelivery(event.id(), e);
            }
            return true;
        });
    }

    /** Ids of deliveries to send now: pending and due, or sending with an expired lease (the sender died). */
    public List<Long> due(Instant now, int limit) {
        return jdbc.list("SELECT id FROM outbox_delivery WHERE state IN ('PENDING', 'SENDING') "
                + "AND next_attempt_at <= ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY", rs -> rs.getLong(1), now);
    }

    /** Takes a due delivery for one attempt, protected by a lease; empty when another sender has it. */
    public Optional<Delivery> claim(long id, Instant now, Duration lease) {
        int taken = jdbc.update("UPDATE outbox_delivery SET state = 'SENDING', attempts = attempts + 1, "
                + "next_attempt_at = ?, updated_at = ? WHERE id = ? AND state IN ('PENDING', 'SENDING') "
                + "AND next_attempt_at <= ?", now.plus(lease), now, id, now);
        return taken == 1 ? delivery(id) : Optional.empty();
    }

    public Optional<Delivery> delivery(long id) {
        return jdbc.one(DELIVERY + "WHERE d.id = ?", Delivery::map, id);
    }

    public void delivered(long id) {
        jdbc.update("UPDATE outbox_delivery SET state = 'DELIVERED', last_error = NULL, delivered_at = ?, "
                + "updated_at = ? WHERE id = ? AND state = 'SENDING'", Jdbc.now(), Jdbc.now(), id);
    }

    public void retry(long id, Instant next, String error) {
        jdbc.update("UPDATE outbox_delivery SET state = 'PENDING', next_attempt_at = ?, last_error = ?, "
                + "updated_at = ? WHERE id = ? AND state = 'SENDING'", next, error, Jdbc.now(), id);
    }

    public void dead(long id, String error) {
        jdbc.update("UPDATE outbox_delivery SET state = 'DEAD', last_error = ?, updated_at = ? "
                + "WHERE id = ? AND state = 'SENDING'", error, Jdbc.now(), id);
    }

    public List<Delivery> deliveries(String state, int limit) {
        return jdbc.list(DELIVERY + "WHERE d.state = ? ORDER BY d.id DESC FETCH FIRST " + limit + " ROWS ONLY",
                Delivery::map, state);
    }

    public List<Delivery> deliveriesOf(String eventId) {
        return jdbc.list(DELIVERY + "WHERE d.event_id = ? ORDER BY d.id", Delivery::map, eventId);
    }

    /**
     * Sends the event again: its dead deliveries become pending (attempts from zero); with {@code all}, its
     * delivered ones too, and a missing one (endpoint added since) is created. A pending or sending delivery is
     * left alone. The event keeps its id and body, so a receiver that already has it sees a duplicate it can drop.
     *
     * @return the number of deliveries (re)scheduled
     */
    public int replay(String eventId, List<Endpoint> endpoints, boolean all) {
        return jdbc.inTransaction(() -> {
            Event event = event(eventId).orElseThrow(() -> new IllegalArgumentException("no event " + eventId));
            if (event.body() == null) {
                return 0; // not routed yet: its first delivery is still to come
            }
            int n = 0;
            for (Endpoint e : endpoints) {
                if (!e.accepts(event.type())) {
                    continue;
                }
                int reset = jdbc.update("UPDATE outbox_delivery SET state = 'PENDING', attempts = 0, "
                        + "next_attempt_at = ?, delivered_at = NULL, updated_at = ? WHERE event_id = ? "
                        + "AND endpoint_key = ? AND state IN ('DEAD', ?)", Jdbc.now(), Jdbc.now(),
                        eventId, e.key(), all ? DELIVERED : DEAD);
                if (all && reset == 0 && jdbc.one("SELECT id FROM outbox_delivery WHERE event_id = ? AND endpoint_key = ?",
                        rs -> rs.getLong(1), eventId, e.key()).isEmpty()) {
                    addDelivery(eventId, e);
                    reset = 1;
                }
                n += reset;
            }
            return n;
        });
    }

    private void addDelivery(String eventId, Endpoint e) {
        jdbc.update("INSERT INTO outbox_delivery (event_id, endpoint_key, endpoint, state, attempts, "
                        + "next_attempt_at, created_at, updated_at) VALUES (?,?,?,'PENDING',0,?,?,?)",
                eventId, e.key(), e.display(), Jdbc.now(), Jdbc.now(), Jdbc.now());
    }
}
