package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.sandbox.SandboxServer.After;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Batch drops (issue 9): no per-file wait, several files at once, the same content still bought once. */
class BatchIngestTest extends BundleTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.concurrency.ingest", "4");
        p.setProperty("vmeg.ingest.stable-check-ms", "1000");
        p.setProperty("vmeg.http.request-timeout", "4s"); // the stalled call below gives up after this
        return p;
    }

    @Test
    void theSameContentDroppedTwiceAtTheSameMomentIsBoughtOnce() throws Exception {
        byte[] media = sample("sample.mp4");
        List<Path> staged = new ArrayList<>();
        for (String name : List.of("first.mp4", "second.mp4", "third.mp4")) {
            Path p = Files.write(env.root().resolve(name), media);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(60))); // stable at once
            staged.add(p);
        }
        Files.createDirectories(env.inbox());
        for (Path p : staged) {
            Files.move(p, env.inbox().resolve(p.getFileName()));
        }

        await().atMost(PATIENCE).until(() -> inboxFiles().isEmpty() && Files.isDirectory(env.failed())
                && failedReports().size() == 2);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(1);
        for (Path report : failedReports()) {
            JsonNode r = readJson(report);
            assertThat(r.path("error").asText()).isEqualTo("DUPLICATE");
        }
        assertThat(ledger().jobs().recent(10)).filteredOn(j -> j.state().name().equals("DUPLICATE")).hasSize(2);
    }

    @Test
    void aFileWaitingForVmegDoesNotHoldUpTheOthers() {
        sandbox().injectAfter("POST", VmegPaths.GEN_UPLOAD_URL, After.stall(), 1);
        drop("sample.mp4", "slow-or-fast.mp4");
        drop("sample.m4a", "fast-or-slow.m4a");

        // one of them is stuck in its first VMEG call; the other goes all the way to archive/ meanwhile
        await().atMost(PATIENCE).until(() -> inboxFiles().size() == 1 && Files.isDirectory(env.archive())
                && archived().size() == 1);
        List<RecordedRequest> stalled = calls("POST", VmegPaths.GEN_UPLOAD_URL).stream()
                .filter(r -> r.status() == 0).toList();
        assertThat(stalled).hasSize(1);
        // the stalled call times out, is retried, and the file follows
        await().atMost(PATIENCE).until(() -> inboxFiles().isEmpty() && archived().size() == 2);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(2);
    }

    private List<String> inboxFiles() throws Exception {
        try (Stream<Path> s = Files.list(env.inbox())) {
            return s.map(f -> f.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.endsWith(".camelLock")).toList(); // the read lock's marker
        }
    }

    private List<Path> archived() throws Exception {
        try (Stream<Path> s = Files.list(env.archive())) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private List<Path> failedReports() throws Exception {
        try (Stream<Path> s = Files.list(env.failed())) {
            return s.filter(f -> f.toString().endsWith(".error.json")).toList();
        }
    }
}
