package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finished tasks' results, one file each: {@code <dataDir>/results/<taskId>.json}. A result never changes once its
 * task finished, so it is written once, not with every save of the state (a media translation's result is 10-22 KB:
 * with hundreds of finished tasks every save rewrote megabytes). Each file is on disk, forced, before the
 * state that refers to it.
 */
final class ResultFiles {

    private final Path dir;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    ResultFiles(Path dataDir) {
        this.dir = dataDir.resolve("results");
    }

    /** Blocking: writes the result of every finished task that has no file yet. */
    void writeNew(List<Task> tasks) throws IOException {
        boolean any = false;
        for (Task t : tasks) {
            JsonNode result = t.resultTemplate();
            if (result == null || written.contains(t.taskId)) {
                continue;
            }
            Files.createDirectories(dir);
            SandboxState.writeForced(Json.MAPPER.writeValueAsBytes(result), dir.resolve(t.taskId + ".json.tmp"),
                    file(t.taskId));
            written.add(t.taskId);
            any = true;
        }
        if (any) {
            SandboxState.forceDirectory(dir);
        }
    }

    boolean hasFile(String taskId) {
        return written.contains(taskId);
    }

    /** Blocking, at load: the result a saved state refers to. */
    JsonNode read(String taskId) throws IOException {
        JsonNode result = Json.MAPPER.readTree(file(taskId).toFile());
        written.add(taskId);
        return result;
    }

    private Path file(String taskId) {
        if (!taskId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("task id " + taskId);
        }
        return dir.resolve(taskId + ".json");
    }
}
