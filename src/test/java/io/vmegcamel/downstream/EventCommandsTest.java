package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command as the jar runs it: the bundle's properties (here overridden by -D), its ledger, an exit code. */
class EventCommandsTest {

    @Test
    void theCommandOpensTheConfiguredLedgerAndAnswersWithExitCodes() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-envs")).toAbsolutePath(),
                "events-cmd-");
        System.setProperty("vmeg.ledger.url", "jdbc:h2:file:" + dir.resolve("ledger"));
        try {
            assertThat(EventCommands.main(List.of("recent"))).isZero();
            assertThat(EventCommands.main(List.of("dead"))).isZero();
            assertThat(EventCommands.main(List.of("replay", "no-such-event"))).isEqualTo(1);
            assertThat(EventCommands.main(List.of("replay", "--all"))).isEqualTo(2);
            assertThat(EventCommands.main(List.of("bogus"))).isEqualTo(2);
        } finally {
            System.clearProperty("vmeg.ledger.url");
        }
        assertThat(dir.resolve("ledger.mv.db")).exists();
    }
}
