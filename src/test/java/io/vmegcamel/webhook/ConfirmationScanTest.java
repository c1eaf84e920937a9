package io.vmegcamel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.webhook.ConfirmationScan.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfirmationScanTest {

    private final ObjectMapper json = new ObjectMapper();
    private static final Instant SENT = Instant.parse("2026-11-30T10:00:00Z");

    private static Task task(String id, String language) {
        return new Task(id, "job-" + id, language, "0".repeat(32), "a".repeat(64), 0, "key-" + id,
                TaskState.SUBMITTING, null, null, "create-async -> 409", null, null, SENT, SENT, SENT);
    }

    private JsonNode page(int total, Object[]... records) {
        ObjectNode data = json.createObjectNode().put("total", total);
        ArrayNode list = data.putArray("records");
        for (Object[] r : records) {
            list.addObject().put("taskId", (String) r[0]).put("taskType", (String) r[1])
                    .put("status", "running").put("createdAt", (String) r[2]);
        }
        return data;
    }

    private JsonNode detail(String taskId, String status, String target) {
        ObjectNode d = json.createObjectNode().put("taskId", taskId).put("taskType", "vt").put("status", status);
        ObjectNode result = d.putObject("result");
        if (target != null) {
            result.putObject("asrScripts").putObject("language").put("source", "en-US").put("target", target);
        }
        return d;
    }

    @Test
    void aFinishedTaskOfTheRightTypeTimeAndLanguageIsProven() {
        ConfirmationScan scan = new ConfirmationScan(List.of(task("a", "de-DE")), Map.of("a", "vt"));
        scan.addPage(page(4,
                new Object[] {"t_de", "vt", "2026-11-30T10:00:02Z"},
                new Object[] {"t_fr", "vt", "2026-11-30T10:00:03Z"},
                new Object[] {"t_old", "vt", "2026-11-30T09:00:00Z"},       // before the first send
                new Object[] {"t_tts", "tts", "2026-11-30T10:00:02Z"}), id -> false);

        assertThat(scan.isMorePages()).isFalse();
        assertThat(scan.getCandidates()).containsExactly("t_de", "t_fr");
        scan.addDetail(detail("t_de", "finished", "de-DE"));
        scan.addDetail(detail("t_fr", "finished", "fr-FR"));

        assertThat(scan.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.outcome()).isEqualTo(Outcome.PROVEN);
            assertThat(v.vmegTaskIds()).containsExactly("t_de");
        });
    }

    @Test
    void aRunningCandidateIsOnlyPossibleAndNothingInTheWindowIsNotFound() {
        ConfirmationScan scan = new ConfirmationScan(List.of(task("a", "de-DE"), task("b", "ja-JP")),
                Map.of("a", "vt", "b", "at"));
        scan.addPage(page(1, new Object[] {"t_run", "vt", "2026-11-30T10:01:00"}), id -> false); // no offset: UTC
        scan.addDetail(detail("t_run", "running", null));

        assertThat(scan.verdicts()).extracting(ConfirmationScan.Verdict::outcome)
                .containsExactly(Outcome.POSSIBLE, Outcome.POSSIBLE); // "at" may run as "vt"
    }

    @Test
    void linkedTasksAreNoCandidatesAndTwoMatchesAreAmbiguous() {
        ConfirmationScan scan = new ConfirmationScan(List.of(task("a", "de-DE")), Map.of("a", "vt"));
        scan.addPage(page(3,
                new Object[] {"t_1", "vt", "2026-11-30T10:00:01Z"},
                new Object[] {"t_2", "vt", "2026-11-30T11:00:00Z"},
                new Object[] {"t_mine", "vt", "2026-11-30T10:00:01Z"}), Set.of("t_mine")::contains);
        scan.addDetail(detail("t_1", "finished", "de-DE"));
        scan.addDetail(detail("t_2", "complete", "de-DE"));

        assertThat(scan.getCandidates()).containsExactly("t_1", "t_2");
        assertThat(scan.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.outcome()).isEqualTo(Outcome.AMBIGUOUS);
            assertThat(v.vmegTaskIds()).containsExactlyInAnyOrder("t_1", "t_2");
        });
    }

    @Test
    void twoUnknownTasksOfOneLanguageCannotShareOneProof() {
        ConfirmationScan scan = new ConfirmationScan(List.of(task("a", "de-DE"), task("b", "de-DE")),
                Map.of("a", "vt", "b", "vt"));
        scan.addPage(page(1, new Object[] {"t_1", "vt", "2026-11-30T10:00:01Z"}), id -> false);
        scan.addDetail(detail("t_1", "finished", "de-DE"));

        assertThat(scan.verdicts()).extracting(ConfirmationScan.Verdict::outcome)
                .containsExactly(Outcome.AMBIGUOUS, Outcome.AMBIGUOUS);
    }

    @Test
    void pagesUntilTheListEnds() {
        ConfirmationScan scan = new ConfirmationScan(List.of(task("a", "de-DE")), Map.of("a", "vt"));
        assertThat(scan.getNextPageQuery()).isEqualTo("currentPage=1&pageSize=100");
        Object[][] full = new Object[100][];
        for (int i = 0; i < 100; i++) {
            full[i] = new Object[] {"t_" + i, "vt", "2026-11-30T08:00:00Z"};
        }
        scan.addPage(page(150, full), id -> false);
        assertThat(scan.isMorePages()).isTrue();
        assertThat(scan.getNextPageQuery()).isEqualTo("currentPage=2&pageSize=100");
        scan.addPage(page(150, new Object[] {"t_x", "vt", "2026-11-30T10:00:05Z"}), id -> false);
        assertThat(scan.isMorePages()).isFalse();
        assertThat(scan.getCandidates()).containsExactly("t_x"); // the old ones fell out of the window
    }
}
