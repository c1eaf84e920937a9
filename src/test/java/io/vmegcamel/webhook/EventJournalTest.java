package io.vmegcamel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Events.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventJournalTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** The ledger's unique pipelineKey, a transaction per call, and a switch to make it fail. */
    private final class FakeLedger {
        final Map<String, Long> rows = new LinkedHashMap<>();
        final List<Integer> transactions = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        synchronized List<Optional<Long>> insertAll(List<NewEvent> events) {
            if (failing) {
                throw new IllegalStateException("ledger down");
            }
            transactions.add(events.size());
            List<Optional<Long>> ids = new ArrayList<>();
            for (NewEvent e : events) {
                ids.add(rows.containsKey(e.pipelineKey()) ? Optional.empty()
                        : Optional.of(rows.computeIfAbsent(e.pipelineKey(), k -> (long) rows.size() + 1)));
            }
            return ids;
        }

        synchronized List<String> keys() {
            return List.copyOf(rows.keySet());
        }
    }

    private final FakeLedger ledger = new FakeLedger();
    private final List<Long> handedOver = new CopyOnWriteArrayList<>();
    private final List<EventJournal> open = new ArrayList<>();

    private EventJournal journal() throws Exception {
        EventJournal j = new EventJournal(dir, ledger::insertAll, handedOver::add, Duration.ofMillis(20),
                Duration.ofMillis(500));
        open.add(j);
        j.start();
        return j;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (EventJournal j : open) {
            j.close();
        }
    }

    private static NewEvent event(String key) {
        return new NewEvent(key, "openapi-tts", "t_" + key, "webhook", "{\"pipelineKey\":\"" + key + "\"}",
                "RECEIVED", null);
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".journal")).toList();
        }
    }

    @Test
    void journaledEventsReachTheLedgerOnceAndTheNewOnesAreHandedOver() throws Exception {
        EventJournal journal = journal();
        journal.append(event("a"));
        journal.append(event("b"));
        journal.append(event("a")); // VMEG's retry
        journal.append(new NewEvent("c", null, "t_c", "webhook", "{}", "IGNORED", "no event type"));

        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 3 && segments().isEmpty());
        assertThat(ledger.keys()).containsExactly("a", "b", "c");
        assertThat(handedOver).containsExactly(1L, 2L); // c is stored as IGNORED: nothing to process
        assertThat(journal.unmovedBytes()).isZero();
    }

    @Test
    void aBurstGoesIntoTheLedgerInFewTransactions() throws Exception {
        EventJournal journal = journal();
        for (int i = 0; i < 2_000; i++) {
            journal.append(event("burst-" + i));
        }

        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 2_000);
        assertThat(ledger.transactions.size()).isLessThan(20);
        assertThat(handedOver).hasSize(2_000);
    }

    @Test
    void aFullBatchIsMovedWithoutWaitingForAPause() throws Exception {
        EventJournal journal = new EventJournal(dir, ledger::insertAll, handedOver::add, Duration.ofHours(1),
                Duration.ofHours(1)); // no pause and no lag deadline within the test: only the batch size moves it
        open.add(journal);
        journal.start();
        for (int i = 0; i < EventJournal.MOVE_BATCH; i++) {
            journal.append(event("full-" + i));
        }

        await().atMost(PATIENCE).until(() -> handedOver.size() == EventJournal.MOVE_BATCH);
        assertThat(ledger.keys()).hasSize(EventJournal.MOVE_BATCH);
    }

    @Test
    void duringAFloodOneWaiterInAllGoesPerMaxWait() throws Exception {
        EventJournal journal = journal();
        journal.append(event("flood")); // and no pause of an hour follows within the test
        List<Long> passed = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    journal.awaitQuiet(3_600_000, 300);
                    passed.add(System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            waiters.add(t);
        }
        for (Thread t : waiters) {
            t.join(PATIENCE.toMillis());
        }

        assertThat(passed).hasSize(3);
        List<Long> order = passed.stream().sorted().toList();
        for (int i = 1; i < order.size(); i++) {
            // 300 ms apart, less the moment between a return and its note (without the rule: all at once)
            assertThat(order.get(i) - order.get(i - 1)).isGreaterThan(Duration.ofMillis(250).toNanos());
        }
    }

    @Test
    void whatACrashLeftIsMovedAtStartUpToATornLastRecord() throws Exception {
        byte[] first = EventJournal.Records.encode(event("left-1"));
        byte[] second = EventJournal.Records.encode(event("left-2"));
        byte[] torn = Arrays.copyOf(EventJournal.Records.encode(event("torn")), 20); // its request got no answer
        Files.write(dir.resolve("0000000000000007.journal"), concat(first, second, torn));
        Files.write(dir.resolve("0000000000000003.journal"), EventJournal.Records.encode(event("left-0")));
        ledger.insertAll(List.of(event("left-1"))); // committed before the crash, its segment not yet deleted

        EventJournal journal = journal();
        journal.append(event("after"));

        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 4 && segments().isEmpty());
        assertThat(ledger.keys()).containsExactly("left-1", "left-0", "left-2", "after");
        assertThat(handedOver).containsExactly(2L, 3L, 4L);
    }

    @Test
    void whileTheLedgerFailsEventsStayJournaledAndAreStoredOnceItWorks() throws Exception {
        ledger.failing = true;
        EventJournal journal = journal();
        journal.append(event("a"));
        journal.append(event("b"));
        await().atMost(PATIENCE).until(() -> !segments().isEmpty());

        ledger.failing = false;

        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 2 && segments().isEmpty());
        assertThat(handedOver).containsExactly(1L, 2L);
    }

    @Test
    void closedWhileTheLedgerFailsTheEventsWaitForTheNextStart() throws Exception {
        ledger.failing = true;
        EventJournal first = journal();
        first.append(event("a"));
        await().atMost(PATIENCE).until(() -> !segments().isEmpty());
        first.close();
        assertThatThrownBy(() -> first.append(event("late"))).isInstanceOf(EventJournal.JournalRefusedException.class);
        assertThat(segments()).hasSize(1);

        ledger.failing = false;
        journal();

        await().atMost(PATIENCE).until(() -> ledger.keys().equals(List.of("a")) && segments().isEmpty());
    }

    @Test
    void whenTooMuchWaitsForAFailingLedgerNewEventsAreRefused() throws Exception {
        ledger.failing = true;
        EventJournal journal = journal();
        String body = "x".repeat(1024 * 1024);
        int taken = 0;
        try {
            for (; taken < 40; taken++) {
                journal.append(new NewEvent("big-" + taken, "openapi-tts", "t", "webhook", body, "RECEIVED", null));
            }
        } catch (EventJournal.JournalRefusedException e) {
            assertThat(e.getMessage()).contains("not in the ledger yet");
        }
        assertThat(taken).isEqualTo(31); // 32 MiB of unmoved events at most

        ledger.failing = false;
        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 31);
        journal.append(event("after")); // room again
        await().atMost(PATIENCE).until(() -> ledger.keys().size() == 32);
    }

    @Test
    void oneProcessPerJournalFolder() throws Exception {
        journal();
        EventJournal second = new EventJournal(dir, ledger::insertAll, handedOver::add, Duration.ofMillis(20),
                Duration.ofMillis(500));

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another process");
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
