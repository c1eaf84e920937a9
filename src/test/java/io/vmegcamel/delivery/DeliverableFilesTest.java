package io.vmegcamel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmegcamel.delivery.Manifests.Entry;
import io.vmegcamel.vmeg.VmegException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is checked before a downloaded file appears in the outbox, and what is left when a check fails. */
class DeliverableFilesTest {

    private static final String URL = "http://127.0.0.1:1/cdn/r/t_1/dubbed.mp4?Expires=1&Signature=s";

    @TempDir
    Path dir;

    private final byte[] content = new Random(42).ints(200_000, 0, 256).collect(
            java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> a.write(b.toByteArray(), 0, b.size()))
            .toByteArray();

    private DeliverableFiles files(long maxBytes) {
        return new DeliverableFiles(new DownloadPolicy("http://127.0.0.1:1", List.of(), maxBytes, 5),
                Duration.ofSeconds(60), Duration.ofHours(2));
    }

    private Deliverable deliverable(long expectedSize) {
        return new Deliverable("task-1", "video", URL, dir.resolve("de-DE").resolve("demo.de-DE.mp4"), expectedSize);
    }

    @Test
    void aCompleteBodyIsRenamedIntoPlaceWithItsSizeAndDigest() throws Exception {
        Entry entry = files(0).store(deliverable(content.length), URL, new ByteArrayInputStream(content),
                (long) content.length);
        Path target = dir.resolve("de-DE").resolve("demo.de-DE.mp4");
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(entry).isEqualTo(new Entry("video", "demo.de-DE.mp4", content.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))));
        assertThat(Files.list(target.getParent())).containsExactly(target);
    }

    @Test
    void aShortBodyIsASizeMismatchAndLeavesNothing() throws Exception {
        byte[] shortBody = java.util.Arrays.copyOf(content, 1000);
        assertThatThrownBy(() -> files(0).store(deliverable(content.length), URL, new ByteArrayInputStream(shortBody),
                null))
                .isInstanceOf(VmegException.class)
                .hasMessage("VMEG GET 127.0.0.1/cdn/r/t_1/dubbed.mp4: no answer (received 1000 bytes, the result says "
                        + content.length + ")");
        assertThat(Files.list(dir.resolve("de-DE"))).isEmpty();
    }

    @Test
    void aContentLengthOtherThanVmegsSizeIsRefusedBeforeReading() throws Exception {
        assertThatThrownBy(() -> files(0).store(deliverable(content.length), URL, new ByteArrayInputStream(content),
                999L))
                .isInstanceOf(VmegException.class)
                .hasMessageEndingWith("(the CDN announces 999 bytes, the result says " + content.length + ")");
        assertThat(Files.exists(dir.resolve("de-DE"))).isFalse();
    }

    @Test
    void aBodyOverTheCapIsRefusedWhileStreamingWhenNoSizeWasAnnounced() throws Exception {
        assertThatThrownBy(() -> files(100_000).store(deliverable(0), URL, new ByteArrayInputStream(content), null))
                .isInstanceOf(DownloadRefusedException.class)
                .hasMessage("video of task task-1 -> demo.de-DE.mp4 (http://127.0.0.1:1/cdn/r/t_1/dubbed.mp4) refused: "
                        + "more than 100000 bytes received, more than vmeg.download.max-bytes (100000)");
        assertThat(Files.list(dir.resolve("de-DE"))).isEmpty();
    }

    @Test
    void aTransferOverTheTransferTimeoutIsAbandoned() throws Exception {
        DeliverableFiles slow = new DeliverableFiles(new DownloadPolicy("http://127.0.0.1:1", List.of(), 0, 5),
                Duration.ofSeconds(60), Duration.ofMillis(1));
        InputStream trickle = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1)); // one byte per read: 200,000 reads take over 1 ms
            }
        };
        assertThatThrownBy(() -> slow.store(deliverable(content.length), URL, trickle, null))
                .isInstanceOf(VmegException.class)
                .hasMessageMatching("VMEG GET 127\\.0\\.0\\.1/cdn/r/t_1/dubbed\\.mp4: no answer \\(transfer not done after "
                        + "1ms \\(vmeg\\.http\\.transfer-timeout\\), \\d+ bytes received\\)");
        assertThat(Files.list(dir.resolve("de-DE"))).isEmpty();
    }

    @Test
    void anExistingFileIsReplacedOnlyByACompleteOne() throws Exception {
        Path target = Files.createDirectories(dir.resolve("de-DE")).resolve("demo.de-DE.mp4");
        Files.write(target, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> files(0).store(deliverable(content.length), URL,
                new ByteArrayInputStream(content, 0, 10), null)).isInstanceOf(VmegException.class);
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        files(0).store(deliverable(content.length), URL, new ByteArrayInputStream(content), null);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }
}
