package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All tasks by id. Deleted tasks are invisible to every lookup. */
final class TaskStore {

    private final Map<String, Task> tasks = new HashMap<>();

    synchronized void add(Task t) {
        tasks.put(t.taskId, t);
    }

    synchronized Task get(String taskId) {
        Task t = tasks.get(taskId);
        return t == null || t.deleted ? null : t;
    }

    /** Newest first, optionally filtered by type and status. */
    synchronized List<Task> list(String taskType, String status) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks.values()) {
            if (!t.deleted && (taskType == null || taskType.equals(t.taskType))
                    && (status == null || status.equals(t.status()))) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparingLong((Task t) -> t.seq).reversed());
        return out;
    }

    synchronized boolean delete(String taskId) {
        Task t = get(taskId);
        if (t == null) {
            return false;
        }
        t.deleted = true;
        return true;
    }
}
