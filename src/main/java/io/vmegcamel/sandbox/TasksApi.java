package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;

import java.util.List;

/** tasks/detail, tasks/list, tasks/delete (§5). */
final class TasksApi {

    static final List<String> TASK_TYPES = List.of("vt", "at", "tts", "cloneVoice", "textTranslation");

    private final Sandbox s;

    TasksApi(Sandbox s) {
        this.s = s;
    }

    void register(ApiRoutes routes) {
        routes.get("tasks/detail", this::detail)
                .get("tasks/list", this::list)
                .post("tasks/delete", true, this::delete);
    }

    private Future<JsonNode> detail(ApiCall call) {
        call.queryOnly("taskId");
        String taskId = call.query("taskId");
        if (taskId == null || taskId.isBlank()) {
            throw ApiException.badRequest("query parameter 'taskId' is required");
        }
        Task t = s.tasks.get(taskId);
        if (t == null) {
            throw ApiException.notFound("task " + taskId + " not found");
        }
        return Future.succeededFuture(t.detail(s.signer, s.config.deliverableTtl(), s.config.finishedStatusWord()));
    }

    private Future<JsonNode> list(ApiCall call) {
        call.queryOnly("taskType", "status", "currentPage", "pageSize");
        String type = call.queryEnum("taskType", TASK_TYPES);
        String status = call.query("status"); // free string in the spec: filter only, no validation
        int page = call.queryInt("currentPage", 1, 1, Integer.MAX_VALUE);
        int size = call.queryInt("pageSize", 20, 1, Paging.MAX_PAGE_SIZE);
        String word = s.config.finishedStatusWord();
        return Future.succeededFuture(Paging.page(s.tasks.list(type, status, word), page, size,
                t -> t.summary(word)));
    }

    private Future<JsonNode> delete(ApiCall call) {
        String taskId = call.queryOnly().body().only("taskId").text("taskId", true);
        if (!s.tasks.delete(taskId)) {
            throw ApiException.notFound("task " + taskId + " not found");
        }
        return Future.succeededFuture(null);
    }
}
