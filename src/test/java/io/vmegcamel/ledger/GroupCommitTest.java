package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private final List<List<Integer>> commits = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCommitRunning = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** Records each commit; the first one blocks until released, so the others queue up behind it. */
    private Function<List<Integer>, List<String>> recording(Function<List<Integer>, List<String>> then) {
        return items -> {
            commits.add(items);
            if (commits.size() == 1) {
                firstCommitRunning.countDown();
                await(releaseFirstCommit);
            }
            return then.apply(items);
        };
    }

    private static List<String> ok(List<Integer> items) {
        return items.stream().map(i -> "stored " + i).toList();
    }

    private List<Future<String>> submitWhileFirstCommitRuns(GroupCommit<Integer, String> writer, int n)
            throws Exception {
        Future<String> first = callers.submit(() -> writer.submit(0));
        await(firstCommitRunning);
        List<Future<String>> all = new ArrayList<>(List.of(first));
        for (int i = 1; i <= n; i++) {
            int item = i;
            all.add(callers.submit(() -> writer.submit(item)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.queued() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        releaseFirstCommit.countDown();
        return all;
    }

    @Test
    void aLoneItemIsCommittedAtOnceAndItemsArrivingDuringACommitShareTheNextOne() throws Exception {
        try (GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", recording(GroupCommitTest::ok),
                100)) {
            List<Future<String>> answers = submitWhileFirstCommitRuns(writer, 6);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("stored " + i);
            }
            assertThat(commits.get(0)).containsExactly(0);
            assertThat(commits.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
            assertThat(commits).hasSize(2);
        }
    }

    @Test
    void aFailingCommitFailsEveryItemOfTheBatchAndAnswersNoneAsStored() throws Exception {
        try (GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", recording(items -> {
            if (commits.size() > 1) {
                throw new IllegalStateException("disk full");
            }
            return ok(items);
        }), 100)) {
            List<Future<String>> answers = submitWhileFirstCommitRuns(writer, 4);
            assertThat(answers.get(0).get(5, TimeUnit.SECONDS)).isEqualTo("stored 0");
            for (Future<String> a : answers.subList(1, answers.size())) {
                assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
            }
        }
    }

    @Test
    void oneBadItemDoesNotFailTheOthersOfItsBatch() throws Exception {
        try (GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", recording(items -> {
            if (items.contains(3)) {
                throw new IllegalArgumentException("item 3 is too long");
            }
            return ok(items);
        }), 100)) {
            List<Future<String>> answers = submitWhileFirstCommitRuns(writer, 5);
            for (int i = 0; i < answers.size(); i++) {
                Future<String> a = answers.get(i);
                if (i == 3) {
                    assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("item 3 is too long");
                } else {
                    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("stored " + i);
                }
            }
        }
    }

    @Test
    void otherWorkWaitsUntilTheCallersPause() throws Exception {
        try (GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", recording(GroupCommitTest::ok),
                100)) {
            long t0 = System.nanoTime();
            writer.awaitQuiet(200, 5000);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(200)); // quiet: at once
            Future<String> first = callers.submit(() -> writer.submit(0));
            await(firstCommitRunning);
            long submitted = System.nanoTime();
            Future<Long> other = callers.submit(() -> {
                writer.awaitQuiet(200, 10_000);
                return System.nanoTime();
            });
            Thread.sleep(300);
            assertThat(other.isDone()).isFalse();                  // a caller still waits for its commit
            releaseFirstCommit.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored 0");
            long resumed = other.get(5, TimeUnit.SECONDS);
            assertThat(resumed - submitted).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

            long again = System.nanoTime();
            assertThat(writer.submit(1)).isEqualTo("stored 1");    // answered at once ...
            writer.awaitQuiet(200, 5000);                          // ... and the pause still counts from it
            assertThat(System.nanoTime() - again).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Test
    void otherWorkWaitsNoLongerThanItsLimit() throws Exception {
        try (GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", recording(GroupCommitTest::ok),
                100)) {
            Future<String> first = callers.submit(() -> writer.submit(0));
            await(firstCommitRunning);                            // a caller waits, and keeps waiting
            long t0 = System.nanoTime();
            writer.awaitQuiet(50, 300);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            releaseFirstCommit.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored 0");
        }
    }

    @Test
    void aSubmissionAfterCloseFailsInsteadOfWaitingForever() throws Exception {
        GroupCommit<Integer, String> writer = new GroupCommit<>("test-writer", GroupCommitTest::ok, 100);
        assertThat(writer.submit(1)).isEqualTo("stored 1");
        writer.close();
        assertThatThrownBy(() -> writer.submit(2)).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
