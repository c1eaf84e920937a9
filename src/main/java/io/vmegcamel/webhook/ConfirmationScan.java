package io.vmegcamel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.vmeg.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One look through VMEG's task list for tasks whose create-async outcome is unknown. tasks/list has no
 * extraData, so a VMEG task is only taken for ours when everything agrees: its type, its creation time (from the
 * first send to the end of the key's life) and the target language its tasks/detail result names. The
 * {@code confirm-submissions} route pages through the list and asks tasks/detail for each candidate; then
 * {@link #verdict} says, per task, whether it is proven, still possible, or not to be found.
 */
public final class ConfirmationScan {

    static final int PAGE_SIZE = 100;
    /** At most 5,000 tasks are looked through per scan. */
    static final int MAX_PAGES = 50;
    /** VMEG's clock and ours may differ a little. */
    static final Duration SKEW = Duration.ofMinutes(5);
    /** A key can create the task as long as VMEG remembers it (24 h), so until then a resend may have. */
    static final Duration KEY_LIFE = Duration.ofHours(24);

    /** What one scan found for one task. */
    public enum Outcome { PROVEN, POSSIBLE, NOT_FOUND, AMBIGUOUS }

    public record Verdict(Task task, Outcome outcome, List<String> vmegTaskIds) {
    }

    /** A VMEG task in the list that could be one of ours, and what its tasks/detail said. */
    private record Candidate(String taskId, String taskType, Instant createdAt, String targetLanguage, boolean ended) {
    }

    private final List<Task> tasks;
    private final Map<String, String> requestedTypes;
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();
    private int pages;
    private boolean morePages = true;

    /** @param requestedTypes taskType each task asked for ({@code vt} or {@code at}), by task id */
    public ConfirmationScan(List<Task> tasks, Map<String, String> requestedTypes) {
        this.tasks = List.copyOf(tasks);
        this.requestedTypes = Map.copyOf(requestedTypes);
    }

    public List<Task> getTasks() {
        return tasks;
    }

    public boolean isMorePages() {
        return morePages;
    }

    /** The query of the next tasks/list page. */
    public String getNextPageQuery() {
        return "currentPage=" + (pages + 1) + "&pageSize=" + PAGE_SIZE;
    }

    /** Takes one tasks/list page; {@code linked} tells VMEG task ids the ledger already knows. */
    public void addPage(JsonNode data, Predicate<String> linked) {
        pages++;
        JsonNode records = data.path("records");
        for (JsonNode r : records) {
            String id = r.path("taskId").asText("");
            String type = r.path("taskType").asText("");
            if (id.isEmpty() || !(type.equals("vt") || type.equals("at")) || linked.test(id)) {
                continue;
            }
            candidates.putIfAbsent(id, new Candidate(id, type, instant(r.path("createdAt").asText(null)), null, false));
        }
        long total = data.path("total").asLong(Long.MAX_VALUE);
        morePages = records.size() == PAGE_SIZE && (long) pages * PAGE_SIZE < total && pages < MAX_PAGES;
        if (!morePages) {
            candidates.values().removeIf(c -> tasks.stream().noneMatch(t -> fits(t, c)));
        }
    }

    /** VMEG task ids worth a tasks/detail call. */
    public List<String> getCandidates() {
        return new ArrayList<>(candidates.keySet());
    }

    /** Takes what tasks/detail says of a candidate: the target language its result names, and whether it ended. */
    public void addDetail(JsonNode data) {
        Candidate c = candidates.get(data.path("taskId").asText(""));
        if (c != null) {
            boolean ended = TaskStatus.of(data.path("status").asText("")) != TaskStatus.RUNNING;
            candidates.put(c.taskId(), new Candidate(c.taskId(), c.taskType(), c.createdAt(),
                    targetLanguage(data.path("result")), ended));
        }
    }

    public List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        for (Task t : tasks) {
            List<String> proven = candidates.values().stream()
                    .filter(c -> fits(t, c) && t.targetLanguage().equals(c.targetLanguage())).map(Candidate::taskId)
                    .toList();
            boolean possible = candidates.values().stream()
                    .anyMatch(c -> fits(t, c) && c.targetLanguage() == null && !c.ended());
            // two unknown tasks of one language in the same window could each be either VMEG task
            boolean shared = proven.size() == 1 && tasks.stream().anyMatch(o -> o != t
                    && o.targetLanguage().equals(t.targetLanguage())
                    && candidates.get(proven.get(0)) != null && fits(o, candidates.get(proven.get(0))));
            Outcome outcome = proven.size() > 1 || shared ? Outcome.AMBIGUOUS
                    : proven.size() == 1 ? Outcome.PROVEN
                    : possible ? Outcome.POSSIBLE : Outcome.NOT_FOUND;
            out.add(new Verdict(t, outcome, proven));
        }
        return out;
    }

    private boolean fits(Task t, Candidate c) {
        String asked = requestedTypes.getOrDefault(t.id(), "vt");
        boolean typeOk = c.taskType().equals(asked) || (asked.equals("at") && c.taskType().equals("vt"));
        Instant sent = t.firstSentAt();
        boolean timeOk = c.createdAt() == null || sent == null
                || (!c.createdAt().isBefore(sent.minus(SKEW)) && !c.createdAt().isAfter(sent.plus(KEY_LIFE).plus(SKEW)));
        return typeOk && timeOk;
    }

    /** The target language a media-translation result names, or null while it names none (still running). */
    static String targetLanguage(JsonNode result) {
        String target = result.path("asrScripts").path("language").path("target").asText("");
        if (!target.isEmpty()) {
            return target;
        }
        for (JsonNode line : result.path("translatedScripts").path("result")) {
            String locale = line.path("locale").asText("");
            if (!locale.isEmpty()) {
                return locale;
            }
        }
        return null;
    }

    /** ISO 8601 with or without offset (VMEG does not say; without one, UTC); null when unreadable. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
