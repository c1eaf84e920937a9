package io.vmegcamel.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A row of the {@code webhook_event} table. */
public record StoredEvent(
        long id,
        String pipelineKey,
        String event,
        String vmegTaskId,
        String origin,
        String body,
        String state,
        int attempts,
        String error,
        Instant receivedAt) {

    public static final String RECEIVED = "RECEIVED";
    public static final String PROCESSING = "PROCESSING";
    public static final String PROCESSED = "PROCESSED";
    public static final String IGNORED = "IGNORED";
    public static final String FAILED = "FAILED";

    static StoredEvent map(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong("id"), rs.getString("pipeline_key"), rs.getString("event"),
                rs.getString("vmeg_task_id"), rs.getString("origin"), rs.getString("body"), rs.getString("state"),
                rs.getInt("attempts"), rs.getString("error"), Jdbc.instant(rs, "received_at"));
    }
}
