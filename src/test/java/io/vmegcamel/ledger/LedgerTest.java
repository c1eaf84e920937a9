package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private final Ledger ledger = open();

    /** A fresh, migrated ledger; H2 here, PostgreSQL in {@link PostgresLedgerTest}. */
    protected Ledger open() {
        return Ledger.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Job job(String id, String name) {
        Job j = new Job(id, name, null, "/in/" + name, 10, "0".repeat(32), "video", "{}", "defaults", "a".repeat(64),
                null, JobState.RECEIVED, null, null, null);
        ledger.jobs().insert(j);
        return j;
    }

    private Task task(String id, String jobId, String lang, int attempt) {
        Task t = new Task(id, jobId, lang, "0".repeat(32), "a".repeat(64), attempt, "key-" + id, TaskState.PENDING,
                null, null, null, null, null, null, null, null);
        ledger.tasks().insert(t);
        return t;
    }

    @Test
    void taskTransitionsAreCompareAndSetAndNeverGoBack() {
        job("j1", "a.mp4");
        task("t1", "j1", "de-DE", 0);
        assertThat(ledger.tasks().transition("t1", TaskState.PENDING, TaskState.SUBMITTING)).isTrue();
        assertThat(ledger.tasks().transition("t1", TaskState.PENDING, TaskState.SUBMITTING)).isFalse();
        assertThat(ledger.tasks().markSubmitted("t1", "t_1", "vt")).isTrue();
        assertThat(ledger.tasks().markOutcome("t1", TaskState.FINISHED, null)).isTrue();
        assertThat(ledger.tasks().transition("t1", TaskState.FINISHED, TaskState.DOWNLOADED)).isTrue();
        // a late or duplicate verdict finds the task past SUBMITTED and changes nothing
        assertThat(ledger.tasks().markOutcome("t1", TaskState.FAILED, "late")).isFalse();
        Task t = ledger.tasks().byVmegTaskId("t_1").orElseThrow();
        assertThat(t.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(t.error()).isNull();
        assertThat(t.submittedAt()).isNotNull();
        assertThat(t.finishedAt()).isNotNull();
    }

    @Test
    void oneTaskPerContentSpecLanguageAndAttemptAndOneRowPerKey() {
        job("j1", "a.mp4");
        task("t1", "j1", "de-DE", 0);
        assertThatThrownBy(() -> task("t2", "j1", "de-DE", 0)).isInstanceOf(LedgerException.class)
                .matches(e -> ((LedgerException) e).isUniqueViolation());
        task("t3", "j1", "de-DE", 1);
        assertThat(ledger.tasks().latestAttempt("0".repeat(32), "a".repeat(64), "de-DE").orElseThrow().id())
                .isEqualTo("t3");
    }

    @Test
    void eventsAreStoredOncePerPipelineKeyAndClaimedByOneProcessor() {
        long id = ledger.events().insert("pk-1", "openapi-media-translation", "t_1", "webhook", "{}").orElseThrow();
        assertThat(ledger.events().insert("pk-1", "openapi-media-translation", "t_1", "webhook", "{}")).isEmpty();
        assertThat(ledger.events().count()).isEqualTo(1);

        Instant leaseExpiredBefore = Instant.now().minusSeconds(60);
        assertThat(ledger.events().claim(id, leaseExpiredBefore)).isTrue();
        assertThat(ledger.events().claim(id, leaseExpiredBefore)).isFalse();
        // a processor that vanished: its lease runs out and the event can be claimed again
        assertThat(ledger.events().claim(id, Instant.now().plusSeconds(1))).isTrue();
        ledger.events().finish(id, StoredEvent.PROCESSED, null);
        assertThat(ledger.events().claim(id, Instant.now().plusSeconds(1))).isFalse();
        assertThat(ledger.events().get(id).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void outputNamesAreUniqueAcrossJobs() {
        job("j1", "demo.mp4");
        job("j2", "demo.mp4");
        job("j3", "demo.mov");
        assertThat(ledger.jobs().assignOutputName("j1", "demo")).isEqualTo("demo");
        assertThat(ledger.jobs().assignOutputName("j2", "demo")).isEqualTo("demo-2");
        assertThat(ledger.jobs().assignOutputName("j3", "demo")).isEqualTo("demo-3");
        assertThat(ledger.jobs().assignOutputName("j1", "other")).isEqualTo("demo");
    }

    @Test
    void jobStateChangesAreCompareAndSet() {
        job("j1", "a.mp4");
        assertThat(ledger.jobs().transition("j1", JobState.SUBMITTED, JobState.PROCESSING)).isFalse();
        ledger.jobs().setState("j1", JobState.SUBMITTED, null);
        assertThat(ledger.jobs().transition("j1", JobState.SUBMITTED, JobState.PROCESSING)).isTrue();
        assertThat(ledger.jobs().require("j1").state()).isEqualTo(JobState.PROCESSING);
        ledger.history().record("j1", null, "PROCESSING", "x");
        assertThat(ledger.history().forJob("j1")).extracting(History.Entry::what).containsExactly("PROCESSING");
    }
}
