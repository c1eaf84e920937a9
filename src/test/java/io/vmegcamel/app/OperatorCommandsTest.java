package io.vmegcamel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The commands as the jar runs them: the bundle's properties (here overridden by -D), its ledger, an exit code. */
class OperatorCommandsTest {

    @Test
    void theCommandOpensTheConfiguredLedgerAndAnswersWithExitCodes() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")).toAbsolutePath(),
                "events-cmd-");
        System.setProperty("vmeg.ledger.url", "jdbc:h2:file:" + dir.resolve("ledger"));
        try {
            assertThat(Application.command("events", "recent")).isZero();
            assertThat(Application.command("events", "dead")).isZero();
            assertThat(Application.command("events", "replay", "no-such-event")).isEqualTo(1);
            assertThat(Application.command("events", "replay", "--all")).isEqualTo(2);
            assertThat(Application.command("events", "bogus")).isEqualTo(2);
            assertThat(Application.command("tasks")).isZero();
            assertThat(Application.command("tasks", "retry", "no-such-task")).isEqualTo(1);
            assertThat(Application.command("tasks", "bogus")).isEqualTo(2);
            assertThat(Application.command("jobs")).isZero();
            assertThat(Application.command("jobs", "release", "no-such-job")).isEqualTo(1);
            assertThat(Application.command("-profile", "dev")).isNull(); // starts the bundle instead
        } finally {
            System.clearProperty("vmeg.ledger.url");
        }
        assertThat(dir.resolve("ledger.mv.db")).exists();
    }
}
