package io.vmegcamel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ledger.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the remote inbox takes objects, and what each kind of bad object leaves on the storage. */
class RemoteInboxTest {

    private static final byte[] MEDIA = "not really a video".getBytes(StandardCharsets.UTF_8);
    private final ObjectMapper json = new ObjectMapper();
    private final StorageLocation location = StorageLocation.parse("vmeg.inbox", "s3://b/drop/inbox");
    @TempDir
    Path dir;
    private Ledger ledger;
    private MemoryStore store;
    private MutableClock clock;

    @BeforeEach
    void open() {
        ledger = Ledger.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        store = new MemoryStore(true);
        clock = new MutableClock();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private RemoteInbox inbox(long spoolBytes) {
        SpoolMarker markers = new SpoolMarker(json, List.of(dir.resolve("inbox"), dir.resolve("processing")));
        return new RemoteInbox(store, location, dir.resolve("inbox"), dir.resolve(".incoming"), markers,
                ledger.remote(), json, Duration.ofSeconds(1), new SpoolBudget(markers, spoolBytes), clock);
    }

    private RemoteInbox inbox() {
        return inbox(1 << 30);
    }

    @Test
    void anObjectIsSpooledWithItsMarkerAndClaimedIntoProcessing() throws Exception {
        store.put("drop/inbox/de-DE/talk.mp4", MEDIA);

        assertThat(inbox().poll()).isEqualTo(1);

        assertThat(store.objects).containsOnlyKeys("drop/processing/de-DE/talk.mp4");
        Path local = dir.resolve("inbox/de-DE/talk.mp4");
        assertThat(Files.readAllBytes(local)).isEqualTo(MEDIA);
        JsonNode marker = json.readTree(SpoolMarker.of(local).toFile());
        assertThat(marker.path("origin").asText()).isEqualTo("drop/inbox/de-DE/talk.mp4");
        assertThat(marker.path("at").asText()).isEqualTo("drop/processing/de-DE/talk.mp4");
        assertThat(Files.list(dir.resolve(".incoming"))).isEmpty();
    }

    @Test
    void anObjectThatCannotBeDeletedIsTakenOnceAndReported() throws Exception {
        store.put("drop/inbox/talk.mp4", MEDIA);
        store.undeletable.add("drop/inbox/talk.mp4");

        assertThat(inbox().poll()).isEqualTo(1);
        Files.delete(dir.resolve("inbox/talk.mp4")); // the local ingest took it meanwhile
        assertThat(inbox().poll()).isZero(); // a new RemoteInbox: as after a restart, the ledger remembers

        assertThat(store.objects).containsKeys("drop/inbox/talk.mp4", "drop/processing/talk.mp4",
                "drop/inbox/talk.mp4.error.json");
        JsonNode report = report("drop/inbox/talk.mp4.error.json");
        assertThat(report.path("error").asText()).isEqualTo("SOURCE_NOT_MOVED");
        assertThat(report.path("message").asText()).contains("could not be deleted").contains("403 AccessDenied");
    }

    @Test
    void anUnreadableObjectStaysWithAReportAndOthersAreTaken() throws Exception {
        store.put("drop/inbox/a.mp4", MEDIA);
        store.put("drop/inbox/b.mp4", MEDIA);
        store.unreadable.add("drop/inbox/a.mp4");
        store.unmovable.add("drop/inbox/a.mp4"); // what cannot be read cannot be copied either

        assertThat(inbox().poll()).isEqualTo(1);
        assertThat(inbox().poll()).isZero();

        assertThat(store.objects).containsOnlyKeys("drop/inbox/a.mp4", "drop/failed/a.mp4.error.json",
                "drop/processing/b.mp4");
        JsonNode report = report("drop/failed/a.mp4.error.json");
        assertThat(report.path("error").asText()).isEqualTo("SOURCE_UNREADABLE");
        assertThat(report.path("message").asText()).contains("403 AccessDenied").contains("stays in the inbox");
        assertThat(report.path("whatToDo").asText()).contains("Nothing was uploaded or bought");
    }

    @Test
    void anUnreadableObjectIsTakenAgainOnceItChanges() throws Exception {
        store.put("drop/inbox/a.mp4", MEDIA);
        store.unreadable.add("drop/inbox/a.mp4");
        store.unmovable.add("drop/inbox/a.mp4");
        assertThat(inbox().poll()).isZero();

        store.unreadable.clear();
        store.unmovable.clear();
        store.put("drop/inbox/a.mp4", MEDIA); // uploaded again: a new version

        assertThat(inbox().poll()).isEqualTo(1);
        assertThat(store.objects).containsKey("drop/processing/a.mp4");
    }

    @Test
    void anObjectThatCannotBeMovedIsReportedAndLeftInPlace() throws Exception {
        store.put("drop/inbox/a.mp4", MEDIA);
        store.unmovable.add("drop/inbox/a.mp4");

        assertThat(inbox().poll()).isZero();

        assertThat(store.objects).containsOnlyKeys("drop/inbox/a.mp4", "drop/failed/a.mp4.error.json");
        assertThat(report("drop/failed/a.mp4.error.json").path("error").asText()).isEqualTo("SOURCE_NOT_MOVED");
        assertThat(Files.exists(dir.resolve("inbox/a.mp4"))).isFalse();
        assertThat(Files.list(dir.resolve(".incoming"))).isEmpty();
    }

    @Test
    void anObjectDeletedWhileItIsReadIsReportedAndNothingIsSpooled() throws Exception {
        store.put("drop/inbox/a.mp4", MEDIA);
        store.vanishOnOpen.add("drop/inbox/a.mp4");

        assertThat(inbox().poll()).isZero();

        assertThat(store.objects).containsOnlyKeys("drop/failed/a.mp4.error.json");
        assertThat(report("drop/failed/a.mp4.error.json").path("error").asText()).isEqualTo("SOURCE_VANISHED");
        assertThat(Files.exists(dir.resolve("inbox/a.mp4"))).isFalse();
        assertThat(Files.list(dir.resolve(".incoming"))).isEmpty();
    }

    @Test
    void aGrowingFileOnAStorageWithoutAtomicWritesWaitsForTheStabilityWindow() throws Exception {
        store = new MemoryStore(false);
        RemoteInbox inbox = inbox();
        store.put("drop/inbox/a.mp4", MEDIA);
        assertThat(inbox.poll()).isZero(); // first seen
        clock.advance(Duration.ofMillis(600));
        store.put("drop/inbox/a.mp4", "still growing, longer now".getBytes(StandardCharsets.UTF_8));
        assertThat(inbox.poll()).isZero(); // changed: the window starts again
        clock.advance(Duration.ofMillis(600));
        assertThat(inbox.poll()).isZero();
        clock.advance(Duration.ofMillis(600));
        assertThat(inbox.poll()).isEqualTo(1);
    }

    @Test
    void placesReportsSidecarsAndTempNamesAreNeverTaken() throws Exception {
        StorageLocation root = StorageLocation.parse("vmeg.inbox", "s3://b");
        store.put("processing/x.mp4", MEDIA);
        store.put("failed/y.mp4.error.json", MEDIA);
        store.put("upload.mp4.part", MEDIA);
        store.put("a/b/too-deep.mp4", MEDIA);
        store.put(".hidden.mp4", MEDIA);
        SpoolMarker markers = new SpoolMarker(json, List.of(dir.resolve("inbox")));
        RemoteInbox inbox = new RemoteInbox(store, root, dir.resolve("inbox"), dir.resolve(".incoming"), markers,
                ledger.remote(), json, Duration.ZERO, new SpoolBudget(markers, 1 << 20), clock);

        assertThat(inbox.poll()).isZero();
    }

    @Test
    void aFullSpoolTakesNothingMoreUntilItEmpties() throws Exception {
        store.put("drop/inbox/a.mp4", MEDIA);
        store.put("drop/inbox/b.mp4", MEDIA);
        RemoteInbox inbox = inbox(MEDIA.length);

        assertThat(inbox.poll()).isEqualTo(1);
        assertThat(inbox.poll()).isZero();
        Path taken = Files.exists(dir.resolve("inbox/a.mp4")) ? dir.resolve("inbox/a.mp4") : dir.resolve("inbox/b.mp4");
        Files.delete(taken);
        Files.delete(SpoolMarker.of(taken));
        assertThat(inbox.poll()).isEqualTo(1);
    }

    @Test
    void anObjectClaimedButNeverSpooledIsSpooledAgainByTheRepair() throws Exception {
        store.put("drop/processing/talk.mp4", MEDIA); // a crash between the claim and the spool

        assertThat(inbox().repair()).isEqualTo(1);
        assertThat(inbox().repair()).isZero(); // its marker stands for it now

        assertThat(Files.readAllBytes(dir.resolve("inbox/talk.mp4"))).isEqualTo(MEDIA);
        assertThat(json.readTree(SpoolMarker.of(dir.resolve("inbox/talk.mp4")).toFile()).path("at").asText())
                .isEqualTo("drop/processing/talk.mp4");
    }

    @Test
    void aSecondObjectOfTheSameNameNeverReplacesALocalCopyStillInFlight() throws Exception {
        store.put("drop/inbox/talk.mp4", MEDIA);
        assertThat(inbox().poll()).isEqualTo(1);
        byte[] other = "another talk".getBytes(StandardCharsets.UTF_8);
        store.put("drop/inbox/talk.mp4", other); // uploaded again while the first is still in the local inbox

        assertThat(inbox().poll()).isEqualTo(1);

        assertThat(Files.readAllBytes(dir.resolve("inbox/talk.mp4"))).isEqualTo(MEDIA);
        assertThat(Files.readAllBytes(dir.resolve("inbox/talk-2.mp4"))).isEqualTo(other);
        assertThat(store.objects).containsOnlyKeys("drop/processing/talk.mp4", "drop/processing/talk-2.mp4");
        assertThat(json.readTree(SpoolMarker.of(dir.resolve("inbox/talk-2.mp4")).toFile()).path("at").asText())
                .isEqualTo("drop/processing/talk-2.mp4");
    }

    private JsonNode report(String key) throws Exception {
        return json.readTree(store.objects.get(key));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
