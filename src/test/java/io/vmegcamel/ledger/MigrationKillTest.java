package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A {@code kill -9} in the middle of a migration of the H2 ledger. H2 commits each DDL statement on its own: had
 * the ledger itself been migrated, its first half would stay and the next start would fail on it with
 * {@code Duplicate column name}. A child JVM opens the ledger with one more migration, which halts the JVM between
 * its two statements; the next start, with that migration whole, must open the ledger and lose nothing.
 */
class MigrationKillTest {

    private static final String[] HALTING = {"classpath:db/migration", "classpath:io/vmegcamel/ledger/halting"};
    private static final String[] COMPLETING = {"classpath:db/migration",
        "classpath:io/vmegcamel/ledger/completing"};

    private final Path data = data("migrate-");
    private final String url = "jdbc:h2:file:" + data.resolve("ledger") + ";AUTO_SERVER=TRUE";

    @Test
    void aNewLedgerKilledDuringItsMigrationsOpensOnTheNextStart() throws Exception {
        assertThat(haltedChild()).isEqualTo(9);
        assertThat(data.resolve("ledger.mv.db")).as("no half-migrated ledger in place").doesNotExist();

        try (Ledger ledger = Ledger.open(url, "sa", "", 2, COMPLETING)) {
            ledger.jobs().insert(job("j1"));
        }
        assertThat(columns()).contains("FIRST_HALF", "SECOND_HALF");
        assertThat(files()).containsExactlyInAnyOrder("ledger.mv.db");
    }

    @Test
    void anUpgradeKilledDuringItsMigrationLeavesTheLedgerAsItWas() throws Exception {
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) {
            ledger.jobs().insert(job("j1"));
        }
        assertThat(haltedChild()).isEqualTo(9);

        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) { // the version before the upgrade still opens it
            assertThat(ledger.jobs().get("j1")).isPresent();
        }
        assertThat(columns()).doesNotContain("FIRST_HALF");
        try (Ledger ledger = Ledger.open(url, "sa", "", 2, COMPLETING)) {
            assertThat(ledger.jobs().get("j1")).isPresent();
            ledger.jobs().insert(job("j2"));
        }
        assertThat(columns()).contains("FIRST_HALF", "SECOND_HALF");
        try (Ledger ledger = Ledger.open(url, "sa", "", 2, COMPLETING)) { // up to date: migrated in place
            assertThat(ledger.jobs().get("j2")).isPresent();
        }
        assertThat(files()).containsExactlyInAnyOrder("ledger.mv.db");
    }

    @Test
    void anUpgradeOfALedgerThatH2KeepsOpenIsRefusedWithWhatToDo() throws Exception {
        String keptOpen = url + ";DB_CLOSE_DELAY=-1";
        try (Ledger ledger = Ledger.open(keptOpen, "sa", "", 2)) {
            ledger.jobs().insert(job("j1"));
        }

        assertThatThrownBy(() -> Ledger.open(keptOpen, "sa", "", 2, COMPLETING))
                .hasMessageContaining("needs a migration").hasMessageContaining("SET DB_CLOSE_DELAY 0");
        assertThat(columns()).doesNotContain("FIRST_HALF");

        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SET DB_CLOSE_DELAY 0"); // the advice followed
            s.execute("SHUTDOWN"); // closes what the delay kept open, as the end of the JVM would
        }
        try (Ledger ledger = Ledger.open(url, "sa", "", 2, COMPLETING)) {
            assertThat(ledger.jobs().get("j1")).isPresent();
        }
        assertThat(columns()).contains("FIRST_HALF", "SECOND_HALF");
    }

    static Job job(String id) {
        return new Job(id, id + ".mp4", null, "/in/" + id, 10, "0".repeat(32), "video", "{}", "defaults",
                "a".repeat(64), null, JobState.RECEIVED, null, null, null);
    }

    /** Runs {@link Child} until its migration halts it; returns its exit code. */
    private int haltedChild() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), url)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return child.exitValue();
    }

    private List<String> columns() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE TABLE_NAME = 'JOB'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private List<String> files() throws Exception {
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".trace.db")).toList();
        }
    }

    /** A new folder for a test's ledgers. */
    static Path data(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")), prefix)
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child JVM: opens the ledger with the migration that halts it. */
    public static final class Child {
        public static void main(String[] args) {
            Ledger.open(args[0], "sa", "", 2, HALTING);
            System.exit(0); // not reached
        }
    }
}
