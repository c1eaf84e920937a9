package io.vmegcamel.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A commit that returned is on disk even if the process dies the next instant: a child JVM opens the H2 ledger,
 * commits rows one transaction each, says so, and halts (no shutdown hook, no close: what {@code kill -9} does).
 * The parent reopens the ledger and finds every row. Without {@code WRITE_DELAY=0} the last ones are lost.
 */
class DurableCommitTest {

    private static final int RUNS = 2;
    private static final int ROWS_PER_RUN = 30;

    @Test
    void everyCommittedRowSurvivesAnImmediateHalt() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "test-envs")).toAbsolutePath();
        Path data = Files.createTempDirectory(dir, "durable-");
        String url = "jdbc:h2:file:" + data.resolve("ledger");
        List<String> committed = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            committed.addAll(runChild(url, "r" + run));
        }
        assertThat(committed).hasSize(RUNS * ROWS_PER_RUN);
        try (Ledger ledger = Ledger.open(url, "sa", "", 2)) {
            for (String id : committed) {
                assertThat(ledger.jobs().get(id)).as("job %s committed before the halt", id).isPresent();
            }
        }
    }

    @Test
    void theDefaultH2UrlGainsWriteDelayZeroAndAnExplicitOneIsKept() {
        assertThat(Ledger.durable("jdbc:h2:file:./data/ledger")).isEqualTo("jdbc:h2:file:./data/ledger;WRITE_DELAY=0");
        assertThat(Ledger.durable("jdbc:h2:file:/x;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/x;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        assertThat(Ledger.durable("jdbc:h2:file:/x;write_delay=100")).isEqualTo("jdbc:h2:file:/x;write_delay=100");
        assertThat(Ledger.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Ledger.durable("jdbc:postgresql://db/vmeg")).isEqualTo("jdbc:postgresql://db/vmeg");
    }

    /** Starts the child, collects the ids it reports committed, and waits for it to die. */
    private static List<String> runChild(String url, String prefix) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), url, prefix,
                String.valueOf(ROWS_PER_RUN))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> ids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("committed ")) {
                    ids.add(line.substring("committed ".length()));
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return ids;
    }

    /** The child JVM: commits rows and halts right after the last commit returned. */
    public static final class Child {
        public static void main(String[] args) {
            Ledger ledger = Ledger.open(args[0], "sa", "", 2);
            int rows = Integer.parseInt(args[2]);
            for (int i = 0; i < rows; i++) {
                String id = args[1] + "-" + i;
                ledger.jobs().insert(new Job(id, id + ".mp4", null, "/in/" + id, 10, "0".repeat(32), "video", "{}",
                        "defaults", "a".repeat(64), null, JobState.RECEIVED, null, null, null));
                System.out.println("committed " + id);
                System.out.flush();
            }
            Runtime.getRuntime().halt(0);
        }
    }
}
