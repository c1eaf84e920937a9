package io.vmegcamel.ledger;

import java.time.Instant;
import java.util.List;

/** The {@code history} table: the operator's timeline of a job. */
public final class History {

    public record Entry(String jobId, String taskId, Instant at, String what, String detail) {
    }

    private final Jdbc jdbc;

    History(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String jobId, String taskId, String what, String detail) {
        jdbc.update("INSERT INTO history (job_id, task_id, at, what, detail) VALUES (?,?,?,?,?)",
                jobId, taskId, Jdbc.now(), what.length() > 128 ? what.substring(0, 128) : what, detail);
    }

    public List<Entry> forJob(String jobId) {
        return jdbc.list("SELECT job_id, task_id, at, what, detail FROM history WHERE job_id = ? ORDER BY id",
                rs -> new Entry(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "at"), rs.getString(4),
                        rs.getString(5)), jobId);
    }
}
