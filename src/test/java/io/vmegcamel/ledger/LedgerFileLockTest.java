package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H2 refuses a file whose lock file another process touched in the last two seconds ("Lock file recently
 * modified"): seen when the bundle restarts right after a {@code kill -9} while a tool connects through
 * {@code AUTO_SERVER}. The ledger asks again instead of ending the start.
 */
class LedgerFileLockTest {

    @Test
    void aLedgerWhoseLockFileIsBeingTouchedOpensOnceTheTouchingStops() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), "lock-");
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("ledger") + ";AUTO_SERVER=TRUE"; // the default
        Path lockFile = Files.createFile(data.resolve("ledger.lock.db"));
        ScheduledExecutorService toucher = Executors.newSingleThreadScheduledExecutor();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // longer than H2's own wait of four seconds
        toucher.scheduleAtFixedRate(() -> {
            if (System.nanoTime() < until) {
                try {
                    Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) {
            assertThat(ledger.jobs().get("no-such-job")).isEmpty();
        } finally {
            toucher.shutdownNow();
        }
    }

    @Test
    void onlyALockThatOthersHoldIsAskedForAgain() {
        Throwable badSetting = catchThrowable(() -> Ledger.open("jdbc:h2:mem:x;NO_SUCH_SETTING=1", "sa", "", 1));
        assertThat(badSetting).isNotNull();
        assertThat(Ledger.fileBusy(badSetting)).isNull();
        assertThat(Ledger.fileBusy(new RuntimeException("pool", new java.sql.SQLException(
                "Database may be already in use: \"/d/ledger.mv.db\"\nmore", "90020", 90020))))
                .isEqualTo("Database may be already in use: \"/d/ledger.mv.db\"");
        // a stale lock file (its owner killed) that a tool took over between H2's delete and create of it
        assertThat(Ledger.fileBusy(new RuntimeException("pool", new java.sql.SQLException(
                "Error opening database: \"Another process was faster\" [8000-232]", "08001", 8000))))
                .isEqualTo("Error opening database: \"Another process was faster\" [8000-232]");
        assertThat(Ledger.fileBusy(new RuntimeException("pool", new java.sql.SQLException(
                "Error opening database: \"Could not save properties\" [8000-232]", "08001", 8000)))).isNull();
    }
}
