package io.vmegcamel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Part files a killed writer left: removed from the folders the bundle writes, nothing else touched. */
class PartFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyPartFileInTheGivenFoldersGoesResultsAndOtherFilesStay() throws Exception {
        Path outbox = dir.resolve("outbox");
        Path failed = dir.resolve("failed");
        Path inbox = dir.resolve("inbox");
        Path lang = Files.createDirectories(outbox.resolve("demo/de-DE"));
        Files.write(lang.resolve("demo.de-DE.mp4"), new byte[] {1, 2, 3});
        Files.write(lang.resolve(".demo.de-DE.mp4.1111.part"), new byte[] {1});
        Files.write(lang.resolve(".result.json.2222.part"), new byte[0]);
        Files.write(outbox.resolve("demo/.job.json.3333.part"), new byte[0]);
        Files.write(outbox.resolve("demo/job.json"), new byte[] {'{', '}'});
        Files.createDirectories(failed);
        Files.write(failed.resolve(".x.mp4.error.json.4444.part"), new byte[0]);
        Files.write(failed.resolve("x.mp4"), new byte[] {9});
        Files.write(failed.resolve("notes.part"), new byte[0]); // not hidden: not a name the bundle writes
        Files.createDirectories(inbox);
        Files.write(inbox.resolve(".copying.mp4.part"), new byte[] {7}); // someone's copy in progress

        int removed = PartFiles.removeLeftovers(List.of(outbox, failed, dir.resolve("missing")));

        assertThat(removed).isEqualTo(4);
        assertThat(names(lang)).containsExactly("demo.de-DE.mp4");
        assertThat(Files.readAllBytes(lang.resolve("demo.de-DE.mp4"))).containsExactly(1, 2, 3);
        assertThat(names(outbox.resolve("demo"))).containsExactly("de-DE", "job.json");
        assertThat(names(failed)).containsExactly("notes.part", "x.mp4");
        assertThat(names(inbox)).containsExactly(".copying.mp4.part");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
