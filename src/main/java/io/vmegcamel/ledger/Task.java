package io.vmegcamel.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A row of the {@code task} table: one target language of one job. */
public record Task(
        String id,
        String jobId,
        String targetLanguage,
        String contentMd5,
        String specHash,
        int attempt,
        String idempotencyKey,
        TaskState state,
        String vmegTaskId,
        String vmegTaskType,
        String error,
        Instant submittedAt,
        Instant finishedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant firstSentAt) {

    static Task map(ResultSet rs) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("job_id"), rs.getString("target_language"),
                rs.getString("content_md5"), rs.getString("spec_hash"), rs.getInt("attempt"),
                rs.getString("idempotency_key"), TaskState.valueOf(rs.getString("state")),
                rs.getString("vmeg_task_id"), rs.getString("vmeg_task_type"), rs.getString("error"),
                Jdbc.instant(rs, "submitted_at"), Jdbc.instant(rs, "finished_at"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "first_sent_at"));
    }
}
