package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All tasks by id. Deleted tasks are invisible to every lookup. */
final class TaskStore {

    private final Map<String, Task> tasks = new HashMap<>();
    private final Runnable onChange;

    TaskStore(Runnable onChange) {
        this.onChange = onChange;
    }

    void add(Task t) {
        synchronized (this) {
            tasks.put(t.taskId, t);
        }
        onChange.run();
    }

    synchronized Task get(String taskId) {
        Task t = tasks.get(taskId);
        return t == null || t.deleted ? null : t;
    }

    /** Newest first, optionally filtered by type and by status as reported (see {@link Task#reportedStatus}). */
    synchronized List<Task> list(String taskType, String status, String finishedWord) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks.values()) {
            if (!t.deleted && (taskType == null || taskType.equals(t.taskType))
                    && (status == null || status.equals(t.reportedStatus(finishedWord)))) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparingLong((Task t) -> t.seq).reversed());
        return out;
    }

    boolean delete(String taskId) {
        synchronized (this) {
            Task t = get(taskId);
            if (t == null) {
                return false;
            }
            t.deleted = true;
        }
        onChange.run();
        return true;
    }

    /** Every task, deleted ones included, oldest first. */
    synchronized List<Task> all() {
        List<Task> out = new ArrayList<>(tasks.values());
        out.sort(Comparator.comparingLong((Task t) -> t.seq));
        return out;
    }

    /** Puts back tasks saved before a restart (no change is reported). */
    synchronized void restore(List<Task> saved) {
        saved.forEach(t -> tasks.put(t.taskId, t));
    }
}
