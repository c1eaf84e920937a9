package io.vmegcamel.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code task} table. Every state change is a compare-and-set on the current state. */
public final class Tasks {

    private static final String COLUMNS = "id, job_id, target_language, content_md5, spec_hash, attempt, "
            + "idempotency_key, state, vmeg_task_id, vmeg_task_type, error, submitted_at, finished_at, created_at, updated_at, first_sent_at";

    private final Jdbc jdbc;

    Tasks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Task t) {
        jdbc.update("INSERT INTO task (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                t.id(), t.jobId(), t.targetLanguage(), t.contentMd5(), t.specHash(), t.attempt(), t.idempotencyKey(),
                t.state(), t.vmegTaskId(), t.vmegTaskType(), t.error(), t.submittedAt(), t.finishedAt(),
                Jdbc.now(), Jdbc.now(), t.firstSentAt());
    }

    public Optional<Task> get(String id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM task WHERE id = ?", Task::map, id);
    }

    public Task require(String id) {
        return get(id).orElseThrow(() -> new IllegalStateException("no task " + id + " in the ledger"));
    }

    public Optional<Task> byVmegTaskId(String vmegTaskId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM task WHERE vmeg_task_id = ?", Task::map, vmegTaskId);
    }

    /** The newest attempt for this content, spec and language, whichever job made it. */
    public Optional<Task> latestAttempt(String contentMd5, String specHash, String language) {
        return jdbc.one("SELECT " + COLUMNS + " FROM task WHERE content_md5 = ? AND spec_hash = ? AND target_language = ? "
                + "ORDER BY attempt DESC", Task::map, contentMd5, specHash, language);
    }

    public List<Task> forJob(String jobId) {
        return jdbc.list("SELECT " + COLUMNS + " FROM task WHERE job_id = ? ORDER BY created_at, target_language",
                Task::map, jobId);
    }

    /** The job's current task per language: the newest attempt (older ones were refused by VMEG). */
    public List<Task> currentForJob(String jobId) {
        return List.copyOf(forJob(jobId).stream()
                .collect(Collectors.toMap(Task::targetLanguage, t -> t, (a, b) -> a.attempt() >= b.attempt() ? a : b,
                        java.util.LinkedHashMap::new))
                .values());
    }

    /** Tasks in one of {@code states} whose last change is older than {@code before}. */
    public List<Task> stale(Collection<TaskState> states, Instant before, int limit) {
        String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
        return jdbc.list("SELECT " + COLUMNS + " FROM task WHERE state IN (" + in + ") AND updated_at < ? "
                + "ORDER BY updated_at FETCH FIRST " + limit + " ROWS ONLY", Task::map, before);
    }

    /** Compare-and-set on the state; returns false when the task was not in {@code from}. */
    public boolean transition(String id, TaskState from, TaskState to) {
        return jdbc.update("UPDATE task SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                to, Jdbc.now(), id, from) == 1;
    }

    /**
     * Records that create-async is being sent with the task's key: the first time only; a resend keeps the first
     * time, from which VMEG's key window counts.
     */
    public void markSent(String id, Instant at) {
        jdbc.update("UPDATE task SET first_sent_at = ? WHERE id = ? AND first_sent_at IS NULL", at, id);
    }

    public boolean markSubmitted(String id, String vmegTaskId, String vmegTaskType) {
        return jdbc.update("UPDATE task SET state = 'SUBMITTED', vmeg_task_id = ?, vmeg_task_type = ?, error = NULL, "
                + "submitted_at = ?, updated_at = ? WHERE id = ? AND state = 'SUBMITTING'",
                vmegTaskId, vmegTaskType, Jdbc.now(), Jdbc.now(), id) == 1;
    }

    /**
     * Learns the VMEG taskId of a task whose create-async answer was lost, unreadable or a refusal that VMEG did not
     * mean (a webhook, VMEG's task list or an operator proved the task exists): SUBMITTED from SUBMITTING,
     * UNCONFIRMED or REJECTED.
     */
    public boolean confirmSubmitted(String id, String vmegTaskId) {
        return jdbc.update("UPDATE task SET state = 'SUBMITTED', vmeg_task_id = ?, error = NULL, submitted_at = ?, "
                + "updated_at = ? WHERE id = ? AND vmeg_task_id IS NULL "
                + "AND state IN ('SUBMITTING', 'UNCONFIRMED', 'REJECTED')", vmegTaskId, Jdbc.now(), Jdbc.now(), id) == 1;
    }

    /** Tasks whose create-async outcome is unknown since before {@code sentBefore}, not looked at since {@code idleSince}. */
    public List<Task> unconfirmed(Instant sentBefore, Instant idleSince, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM task WHERE state = 'SUBMITTING' AND first_sent_at < ? "
                + "AND updated_at < ? ORDER BY first_sent_at FETCH FIRST " + limit + " ROWS ONLY", Task::map,
                sentBefore, idleSince);
    }

    /** Neither a webhook nor VMEG's task list proved the task: it waits for an operator. */
    public boolean markUnconfirmed(String id, String error) {
        return jdbc.update("UPDATE task SET state = 'UNCONFIRMED', error = ?, updated_at = ? WHERE id = ? "
                + "AND state = 'SUBMITTING'", error, Jdbc.now(), id) == 1;
    }

    /** An operator authorised a new attempt for an unconfirmed task: it counts as refused from now on. */
    public boolean abandonUnconfirmed(String id, String error) {
        return jdbc.update("UPDATE task SET state = 'REJECTED', error = ?, updated_at = ? WHERE id = ? "
                + "AND state = 'UNCONFIRMED'", error, Jdbc.now(), id) == 1;
    }

    public boolean markRejected(String id, String error) {
        return jdbc.update("UPDATE task SET state = 'REJECTED', error = ?, updated_at = ? WHERE id = ? AND state = 'SUBMITTING'",
                error, Jdbc.now(), id) == 1;
    }

    /** Records why the task waits (kept in SUBMITTING: it may have been created at VMEG). */
    public void noteError(String id, String error) {
        jdbc.update("UPDATE task SET error = ?, updated_at = ? WHERE id = ?", error, Jdbc.now(), id);
    }

    /**
     * VMEG's verdict: FINISHED or FAILED, from SUBMITTING, SUBMITTED or UNCONFIRMED; FINISHED also from FAILED (VMEG
     * reporting the task finished outranks an earlier failure, e.g. a 404 from tasks/detail). A late or duplicate
     * event never moves a task backwards.
     */
    public boolean markOutcome(String id, TaskState outcome, String error) {
        return jdbc.update("UPDATE task SET state = ?, error = ?, finished_at = ?, updated_at = ? "
                + "WHERE id = ? AND (state IN ('SUBMITTING', 'SUBMITTED', 'UNCONFIRMED') "
                + "OR (state = 'FAILED' AND ? = 'FINISHED'))", outcome, error, Jdbc.now(), Jdbc.now(), id, outcome) == 1;
    }

    /** Marks the task as looked at now (so a poller comes back only after its interval). */
    public void touch(String id) {
        jdbc.update("UPDATE task SET updated_at = ? WHERE id = ?", Jdbc.now(), id);
    }

    /** Marks the task as last looked at {@code at} ({@link Instant#EPOCH}: due for every poller at once). */
    public void touch(String id, Instant at) {
        jdbc.update("UPDATE task SET updated_at = ? WHERE id = ?", at, id);
    }

    public List<Task> inStates(Collection<TaskState> states) {
        String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
        return jdbc.list("SELECT " + COLUMNS + " FROM task WHERE state IN (" + in + ") ORDER BY created_at", Task::map);
    }

    public void adopt(String taskId, String jobId) {
        jdbc.update("UPDATE task SET job_id = ?, updated_at = ? WHERE id = ?", jobId, Jdbc.now(), taskId);
    }
}
