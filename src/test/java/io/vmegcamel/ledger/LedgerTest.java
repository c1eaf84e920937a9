package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private final String url = newDatabase();
    private final Ledger ledger = Ledger.open(url, user(), "", 2);

    /** The URL of a fresh database; H2 here, PostgreSQL in {@link PostgresLedgerTest}. */
    protected String newDatabase() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    protected String user() {
        return "sa";
    }

    @Test
    void aMigratedLedgerHasThisBuildsHistorySoTheNextStartNeedsNoFlyway() {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setUsername(user());
            ds.setPassword("");
            assertThat(LedgerTemplate.isCurrent(ds)).isTrue();
        }
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

    private static Events.NewEvent event(String key, String state, String error) {
        return new Events.NewEvent(key, "openapi-media-translation", "t_1", "webhook", "{\"k\":\"" + key + "\"}",
                state, error);
    }

    @Test
    void aBatchOfEventsStoresEachNewKeyOnceInOneGoAndReportsTheDuplicates() {
        long earlier = ledger.events().insert("pk-old", "openapi-media-translation", "t_1", "webhook", "{}")
                .orElseThrow();

        List<Optional<Long>> ids = ledger.events().insertAll(List.of(event("pk-a", StoredEvent.RECEIVED, null),
                event("pk-old", StoredEvent.RECEIVED, null), event("pk-b", StoredEvent.IGNORED, "not ours"),
                event("pk-a", StoredEvent.RECEIVED, null)));

        assertThat(ids.get(0)).isPresent();
        assertThat(ids.get(1)).isEmpty();             // stored before
        assertThat(ids.get(2)).isPresent();
        assertThat(ids.get(3)).isEmpty();             // the same key earlier in this batch
        assertThat(ledger.events().count()).isEqualTo(3);
        StoredEvent a = ledger.events().get(ids.get(0).get()).orElseThrow();
        assertThat(a.pipelineKey()).isEqualTo("pk-a");
        assertThat(a.state()).isEqualTo(StoredEvent.RECEIVED);
        assertThat(a.body()).isEqualTo("{\"k\":\"pk-a\"}");
        StoredEvent b = ledger.events().get(ids.get(2).get()).orElseThrow();
        assertThat(b.state()).isEqualTo(StoredEvent.IGNORED);
        assertThat(b.error()).isEqualTo("not ours");
        assertThat(ledger.events().byPipelineKey("pk-old").orElseThrow().id()).isEqualTo(earlier);
        assertThat(ledger.events().insertAll(List.of(event("pk-a", StoredEvent.RECEIVED, null))))
                .containsExactly(Optional.empty());
    }

    @Test
    void aBatchOfNewKeysGetsEachEventsOwnIdInOrder() {
        List<String> keys = new ArrayList<>(); // more than one multi-row INSERT's 500 rows
        for (int i = 1203; i > 0; i--) {
            keys.add("pk-" + i);
        }
        List<Optional<Long>> ids = ledger.events().insertAll(keys.stream()
                .map(k -> event(k, StoredEvent.RECEIVED, null)).toList());

        assertThat(ids).hasSize(1203).allMatch(Optional::isPresent);
        assertThat(ids.stream().map(Optional::get).distinct()).hasSize(1203);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(ledger.events().get(ids.get(i).get()).orElseThrow().pipelineKey()).isEqualTo(keys.get(i));
        }
    }

    @Test
    void aBatchThatFailsStoresNothingOfIt() {
        String tooLong = "x".repeat(200); // pipeline_key is VARCHAR(128)
        assertThatThrownBy(() -> ledger.events().insertAll(List.of(event("pk-a", StoredEvent.RECEIVED, null),
                event(tooLong, StoredEvent.RECEIVED, null)))).isInstanceOf(LedgerException.class);
        assertThat(ledger.events().count()).isZero();
    }

    @Test
    void anEventOfATaskWhoseOtherEventIsBeingProcessedWaitsUntilThatOneIsDoneOrAbandoned() {
        job("j1", "a.mp4");
        task("t1", "j1", "de-DE", 0);
        ledger.jdbc().update("UPDATE task SET vmeg_task_id = ? WHERE id = ?", "t_1", "t1");
        long webhook = ledger.events().insert("pk-1", "openapi-media-translation", "t_1", "webhook", "{}").orElseThrow();
        long poll = ledger.events().insert("pk-2", "openapi-media-translation", "t_1", "poll", "{}").orElseThrow();
        long other = ledger.events().insert("pk-3", "openapi-media-translation", "t_2", "webhook", "{}").orElseThrow();
        Instant leaseExpiredBefore = Instant.now().minusSeconds(60);

        assertThat(ledger.events().claim(webhook, leaseExpiredBefore)).isTrue();
        assertThat(ledger.events().claim(poll, leaseExpiredBefore)).isFalse();
        assertThat(ledger.events().get(poll).orElseThrow().state()).isEqualTo(StoredEvent.RECEIVED);
        assertThat(ledger.events().get(poll).orElseThrow().attempts()).isZero();
        assertThat(ledger.events().claim(other, leaseExpiredBefore)).isTrue(); // another task: not held up
        // the first processor vanished (its lease ran out): the second event is taken
        assertThat(ledger.events().claim(poll, Instant.now().plusSeconds(1))).isTrue();
        assertThat(ledger.events().claim(webhook, leaseExpiredBefore)).isFalse();
        ledger.events().finish(poll, StoredEvent.PROCESSED, null);
        assertThat(ledger.events().claim(webhook, Instant.now().plusSeconds(1))).isTrue();
    }

    @Test
    void aRenewedLeaseKeepsAnEventFromASecondProcessorAndAGivenUpEventIsNeverDue() {
        long id = ledger.events().insert("pk-1", "openapi-media-translation", "t_1", "webhook", "{}").orElseThrow();
        long done = ledger.events().insert("pk-2", "openapi-media-translation", "t_2", "webhook", "{}").orElseThrow();
        assertThat(ledger.events().claim(id, Instant.now().minusSeconds(60))).isTrue();
        assertThat(ledger.events().claim(done, Instant.now().minusSeconds(60))).isTrue();
        ledger.events().finish(done, StoredEvent.PROCESSED, null);

        // a lease that expired a second from now (1 s lease): due and claimable again...
        Instant expiredBefore = Instant.now().plusSeconds(1);
        assertThat(ledger.events().due(Instant.EPOCH, Instant.EPOCH, 10, expiredBefore, 10)).containsExactly(id);
        // ...unless renewed after that instant; renewing never revives a finished event
        await().until(() -> Instant.now().isAfter(expiredBefore.plusMillis(10)));
        assertThat(ledger.events().renew(java.util.List.of(id, done))).isEqualTo(1);
        assertThat(ledger.events().due(Instant.EPOCH, Instant.EPOCH, 10, expiredBefore, 10)).isEmpty();
        assertThat(ledger.events().claim(id, expiredBefore)).isFalse();
        assertThat(ledger.events().get(done).orElseThrow().state()).isEqualTo(StoredEvent.PROCESSED);

        ledger.events().giveUp(id, "result link refused", 10);
        StoredEvent given = ledger.events().get(id).orElseThrow();
        assertThat(given.state()).isEqualTo(StoredEvent.FAILED);
        assertThat(given.attempts()).isEqualTo(10);
        assertThat(given.error()).isEqualTo("result link refused");
        assertThat(ledger.events().due(Instant.now(), Instant.now().plusSeconds(60), 10, Instant.now(), 10)).isEmpty();
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

    @Test
    void aMoveIsRecordedBeforeAndConfirmedAfter() {
        job("j1", "a.mp4");
        ledger.jobs().setMovingTo("j1", "/processing/a.mp4");
        assertThat(ledger.jobs().movingTo("j1")).contains("/processing/a.mp4");
        assertThat(ledger.jobs().isMoveTargetOfAnother("/processing/a.mp4", "j2")).isTrue();
        assertThat(ledger.jobs().isMoveTargetOfAnother("/processing/a.mp4", "j1")).isFalse();
        assertThat(ledger.jobs().withMoveUnderWay()).extracting(Job::id).containsExactly("j1");
        ledger.jobs().moved("j1", "/processing/a.mp4");
        assertThat(ledger.jobs().movingTo("j1")).isEmpty();
        assertThat(ledger.jobs().require("j1").location()).isEqualTo("/processing/a.mp4");
        assertThat(ledger.jobs().withMoveUnderWay()).isEmpty();
    }

    @Test
    void aQuarantinedFileIsHeldWithItsAttributesUntilReleased() {
        String path = "/inbox/" + "長".repeat(1000) + ".mp4"; // longer than an index entry may be: keyed by its hash
        ledger.quarantine().hold(path, 10, 1234, "why");
        ledger.quarantine().hold(path, 11, 1235, "why again");
        assertThat(ledger.quarantine().find(path)).contains(new Quarantine.Held(path, 11, 1235, "why again"));
        assertThat(ledger.quarantine().all()).hasSize(1);
        ledger.quarantine().release(path);
        assertThat(ledger.quarantine().find(path)).isEmpty();
    }

    @Test
    void stuckWorkIsCountedPerKindOnlyPastItsWindow() {
        job("j1", "a.mp4");
        task("t1", "j1", "de-DE", 0);
        ledger.tasks().transition("t1", TaskState.PENDING, TaskState.SUBMITTING);
        Instant future = Instant.now().plusSeconds(60);
        Instant past = Instant.now().minusSeconds(3600);
        var none = ledger.stuckWork().count(new StuckWork.Cutoffs(past, past, past, past, 10));
        assertThat(none.values()).containsOnly(0L);
        var all = ledger.stuckWork().count(new StuckWork.Cutoffs(future, future, future, future, 10));
        assertThat(all).containsEntry(StuckWork.TASKS_SUBMITTING_UNCONFIRMED, 1L)
                .containsEntry(StuckWork.JOBS_INGEST_STALLED, 1L).containsEntry(StuckWork.EVENTS_EXHAUSTED, 0L);
    }

    @Test
    void aMultipartUploadKeepsItsPartsUntilForgottenAndANewOneStartsEmpty() {
        job("j1", "a.mp4");
        ledger.multiparts().start(new Multiparts.Upload("j1", "m_1", "upl_1", 8L << 20, 3));
        assertThat(ledger.multiparts().recordPart("j1", "upl_1", new Multiparts.Part(2, "e2", 8L << 20))).isTrue();
        assertThat(ledger.multiparts().recordPart("j1", "upl_1", new Multiparts.Part(1, "e1", 8L << 20))).isTrue();
        // a part PUT again replaces its row; a part of an upload that is no longer the job's is refused
        assertThat(ledger.multiparts().recordPart("j1", "upl_1", new Multiparts.Part(2, "e2b", 8L << 20))).isTrue();
        assertThat(ledger.multiparts().recordPart("j1", "upl_old", new Multiparts.Part(3, "x", 1))).isFalse();
        assertThat(ledger.multiparts().find("j1")).contains(new Multiparts.Upload("j1", "m_1", "upl_1", 8L << 20, 3));
        assertThat(ledger.multiparts().parts("j1")).containsExactly(new Multiparts.Part(1, "e1", 8L << 20),
                new Multiparts.Part(2, "e2b", 8L << 20));

        ledger.multiparts().start(new Multiparts.Upload("j1", "m_2", "upl_2", 8L << 20, 3)); // VMEG forgot upl_1
        assertThat(ledger.multiparts().find("j1").orElseThrow().uploadId()).isEqualTo("upl_2");
        assertThat(ledger.multiparts().parts("j1")).isEmpty();
        ledger.multiparts().forget("j1");
        assertThat(ledger.multiparts().find("j1")).isEmpty();
    }
}
