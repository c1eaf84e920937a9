package io.vmegcamel.ledger;

import java.util.List;
import java.util.Optional;

/** The {@code job} table. */
public final class Jobs {

    private static final String COLUMNS = "id, file_name, output_name, location, size_bytes, content_md5, media_kind, "
            + "spec_json, spec_source, spec_hash, material_id, state, error_json, created_at, updated_at";

    private final Jdbc jdbc;

    Jobs(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Job j) {
        jdbc.update("INSERT INTO job (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                j.id(), j.fileName(), j.outputName(), j.location(), j.sizeBytes(), j.contentMd5(), j.mediaKind(),
                j.specJson(), j.specSource(), j.specHash(), j.materialId(), j.state(), j.errorJson(),
                Jdbc.now(), Jdbc.now());
    }

    public Optional<Job> get(String id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM job WHERE id = ?", Job::map, id);
    }

    public Job require(String id) {
        return get(id).orElseThrow(() -> new IllegalStateException("no job " + id + " in the ledger"));
    }

    /**
     * The newest job of this very file whose ingest did not finish (crashed, failed, or held by the cost guard: a
     * held file found in the inbox again, e.g. after a crash before its move, stays that held job), if any.
     */
    public Optional<Job> findResumable(String contentMd5, String fileName) {
        return jdbc.one("SELECT " + COLUMNS + " FROM job WHERE content_md5 = ? AND file_name = ? "
                        + "AND state IN ('RECEIVED', 'UPLOADED', 'SUBMITTED', 'INGEST_FAILED', 'HELD') "
                        + "ORDER BY created_at DESC",
                Job::map, contentMd5, fileName);
    }

    public List<Job> recent(int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM job ORDER BY created_at DESC FETCH FIRST " + limit + " ROWS ONLY",
                Job::map);
    }

    public List<Job> inState(JobState state) {
        return jdbc.list("SELECT " + COLUMNS + " FROM job WHERE state = ? ORDER BY created_at", Job::map, state);
    }

    /** Compare-and-set: moves the job to {@code to} only if it is in {@code from}. */
    public boolean transition(String id, JobState from, JobState to) {
        return jdbc.update("UPDATE job SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                to, Jdbc.now(), id, from) == 1;
    }

    /**
     * A task of an ended job turned out to be alive at VMEG: the job waits for its tasks again, so its end is decided
     * anew. Not a job whose ingest stopped before every task was sent: dropping its file again resumes it.
     */
    public boolean reopen(String id) {
        return jdbc.update("UPDATE job SET state = 'PROCESSING', error_json = NULL, updated_at = ? WHERE id = ? "
                + "AND (state = 'FAILED' OR (state = 'INGEST_FAILED' AND NOT EXISTS (SELECT 1 FROM task "
                + "WHERE task.job_id = job.id AND task.state IN ('PENDING', 'HELD'))))", Jdbc.now(), id) == 1;
    }

    public void setState(String id, JobState state, String errorJson) {
        jdbc.update("UPDATE job SET state = ?, error_json = ?, updated_at = ? WHERE id = ?",
                state, errorJson, Jdbc.now(), id);
    }

    public void setMaterial(String id, String materialId) {
        jdbc.update("UPDATE job SET material_id = ?, state = CASE WHEN state = 'RECEIVED' THEN 'UPLOADED' ELSE state END, "
                + "updated_at = ? WHERE id = ?", materialId, Jdbc.now(), id);
    }

    public void setLocation(String id, String location) {
        jdbc.update("UPDATE job SET location = ?, updated_at = ? WHERE id = ?", location, Jdbc.now(), id);
    }

    /** Records where the job's source file is about to be moved (the intent the repair completes after a crash). */
    public void setMovingTo(String id, String target) {
        jdbc.update("UPDATE job SET moving_to = ?, updated_at = ? WHERE id = ?", target, Jdbc.now(), id);
    }

    /** The recorded move target of the job, if a move is under way (or was interrupted). */
    public Optional<String> movingTo(String id) {
        return jdbc.one("SELECT moving_to FROM job WHERE id = ? AND moving_to IS NOT NULL", rs -> rs.getString(1), id);
    }

    /** The move is done: the source is at {@code location}. */
    public void moved(String id, String location) {
        jdbc.update("UPDATE job SET location = ?, moving_to = NULL, updated_at = ? WHERE id = ?",
                location, Jdbc.now(), id);
    }

    /** Jobs with a recorded move that has not been confirmed. */
    public List<Job> withMoveUnderWay() {
        return jdbc.list("SELECT " + COLUMNS + " FROM job WHERE moving_to IS NOT NULL ORDER BY created_at", Job::map);
    }

    /** True when a job other than {@code jobId} (may be null) intends to move its source to {@code path}. */
    public boolean isMoveTargetOfAnother(String path, String jobId) {
        return jdbc.list("SELECT id FROM job WHERE moving_to = ?", rs -> rs.getString(1), path).stream()
                .anyMatch(id -> !id.equals(jobId));
    }

    /**
     * Gives the job an outbox folder name no other job has: {@code base}, else {@code base-2}, {@code base-3}...
     * The unique constraint settles races between replicas.
     */
    public String assignOutputName(String id, String base) {
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? base : base + "-" + n;
            boolean taken = jdbc.one("SELECT id FROM job WHERE output_name = ?", rs -> rs.getString(1), candidate)
                    .isPresent();
            if (taken) {
                continue;
            }
            try {
                jdbc.update("UPDATE job SET output_name = ?, updated_at = ? WHERE id = ? AND output_name IS NULL",
                        candidate, Jdbc.now(), id);
                return require(id).outputName();
            } catch (LedgerException e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }
    /** The inbox sub-folder the job's file was dropped into ({@code ""}: the inbox itself). */
    public String folder(String id) {
        return jdbc.one("SELECT inbox_folder FROM job WHERE id = ?", rs -> rs.getString(1), id).orElse("");
    }

    public void setFolder(String id, String folder) {
        jdbc.update("UPDATE job SET inbox_folder = ?, updated_at = ? WHERE id = ?", folder, Jdbc.now(), id);
    }

    public JobCost cost(String id) {
        return jdbc.one("SELECT duration_ms, credits_per_language, estimated_credits, cost_released_at FROM job "
                + "WHERE id = ?", rs -> new JobCost(longOrNull(rs, 1), longOrNull(rs, 2), longOrNull(rs, 3),
                Jdbc.instant(rs, "cost_released_at")), id).orElse(JobCost.NONE);
    }

    /** VMEG's {@code Material.duration} (milliseconds) of the job's material. */
    public void setDuration(String id, long durationMs) {
        jdbc.update("UPDATE job SET duration_ms = ?, updated_at = ? WHERE id = ?", durationMs, Jdbc.now(), id);
    }

    public void setEstimate(String id, long creditsPerLanguage, long estimatedCredits) {
        jdbc.update("UPDATE job SET credits_per_language = ?, estimated_credits = ?, updated_at = ? WHERE id = ?",
                creditsPerLanguage, estimatedCredits, Jdbc.now(), id);
    }

    /** An operator released the held job: the caps no longer hold it back. */
    public void release(String id) {
        jdbc.update("UPDATE job SET cost_released_at = ?, updated_at = ? WHERE id = ?", Jdbc.now(), Jdbc.now(), id);
    }

    /**
     * Estimated credits of the tasks whose create-async was first sent at or after {@code since} (refused ones cost
     * nothing), leaving out job {@code jobId}'s tasks still to be submitted (the caller counts them itself).
     */
    public long creditsSentSince(java.time.Instant since, String jobId) {
        return jdbc.one("SELECT COALESCE(SUM(job.credits_per_language), 0) FROM task JOIN job ON job.id = task.job_id "
                        + "WHERE task.first_sent_at >= ? AND task.state <> 'REJECTED' AND NOT (task.job_id = ? "
                        + "AND task.state IN ('PENDING', 'HELD', 'SUBMITTING'))",
                rs -> rs.getLong(1), since, jobId).orElse(0L);
    }

    private static Long longOrNull(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
