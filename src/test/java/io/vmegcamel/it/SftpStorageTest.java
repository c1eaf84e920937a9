package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.storage.SftpTestServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole flow with the inbox and the outbox on a real SFTP server (Apache MINA SSHD), key login, strict host
 * keys: the inbox in the curl/OpenSSH URL form, the outbox in Camel's form (issue 8).
 */
class SftpStorageTest extends BundleTestSupport {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static SftpTestServer sftp;
    /** A folder per test under the login directory: nothing one test leaves behind is seen by another. */
    private String base;

    @BeforeAll
    static void startSftp() throws Exception {
        sftp = SftpTestServer.start(Files.createDirectories(Path.of("target", "sftp-it")).toAbsolutePath()
                .resolve("server-" + System.nanoTime()));
    }

    @AfterAll
    static void stopSftp() throws Exception {
        if (sftp != null) {
            sftp.close();
        }
    }

    @Override
    protected Properties overrides() {
        base = "run" + RUNS.incrementAndGet();
        Properties p = new Properties();
        p.setProperty("vmeg.inbox", sftp.url("/~/" + base + "/drop/inbox"));
        p.setProperty("vmeg.outbox", "sftp:" + sftp.user() + "@127.0.0.1:" + sftp.port() + "/" + base + "/results");
        p.setProperty("vmeg.sftp.private-key-file", sftp.privateKeyFile().toString());
        p.setProperty("vmeg.sftp.known-hosts-file", sftp.knownHostsFile().toString());
        p.setProperty("vmeg.target-languages", "de-DE,es-ES");
        p.setProperty("vmeg.storage.poll-ms", "200");
        p.setProperty("vmeg.storage.follow-ms", "200");
        return p;
    }

    private Path remote(String rel) {
        return sftp.home().resolve(base).resolve(rel);
    }

    /** Written whole under a temp name, then renamed into place, as an upload tool does. */
    private void upload(String rel, byte[] bytes) throws Exception {
        Path target = remote(rel);
        Files.createDirectories(target.getParent());
        Path tmp = Files.write(target.resolveSibling(target.getFileName() + ".part"), bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aFileOnTheServerIsDubbedIntoTheRemoteOutboxAndArchivedBesideTheInbox() throws Exception {
        byte[] media = sample("sample.mp4");
        upload("drop/inbox/talk é 会议.mp4", media);

        await().atMost(PATIENCE).until(() -> Files.exists(remote("drop/archive/talk é 会议.mp4")));
        assertThat(Files.readAllBytes(remote("drop/archive/talk é 会议.mp4"))).isEqualTo(media);
        assertThat(files(remote("drop/inbox"))).isEmpty();
        assertThat(files(remote("drop/processing"))).isEmpty();
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(ledger().tasks().forJob(job.id())).hasSize(2);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(2);
        for (String lang : List.of("de-DE", "es-ES")) {
            Path dir = remote("results/" + job.outputName() + "/" + lang);
            assertThat(Files.readAllBytes(dir.resolve(job.outputName() + "." + lang + ".mp4"))).isEqualTo(media);
            assertThat(dir.resolve("manifest.json")).exists();
        }
    }

    @Test
    void aFileThatCannotBeReadGetsAReportOnTheServerAndTheOthersGoOn() throws Exception {
        sftp.denyRead("/home/vmeg/" + base + "/drop/inbox/locked.mp4");
        upload("drop/inbox/locked.mp4", sample("sample.mp4"));
        upload("drop/inbox/fine.m4a", sample("sample.m4a"));

        await().atMost(PATIENCE).until(() -> Files.exists(remote("drop/failed/locked.mp4.error.json"))
                && Files.exists(remote("drop/archive/fine.m4a")));
        JsonNode report = json.readTree(remote("drop/failed/locked.mp4.error.json").toFile());
        assertThat(report.path("error").asText()).isEqualTo("SOURCE_UNREADABLE");
        assertThat(report.path("message").asText()).containsIgnoringCase("permission denied");
        // nothing lost: a rename needs no read permission, so it waits beside its report
        assertThat(Files.readAllBytes(remote("drop/failed/locked.mp4"))).isEqualTo(sample("sample.mp4"));
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(2); // fine.m4a's two languages
    }

    @Test
    void aFileThatCannotBeMovedOutOfTheInboxIsReportedAndLeftThere() throws Exception {
        sftp.denyRename("/home/vmeg/" + base + "/drop/inbox/stuck.mp4");
        upload("drop/inbox/stuck.mp4", sample("sample.mp4"));

        await().atMost(PATIENCE).until(() -> Files.exists(remote("drop/failed/stuck.mp4.error.json")));
        JsonNode report = json.readTree(remote("drop/failed/stuck.mp4.error.json").toFile());
        assertThat(report.path("error").asText()).isEqualTo("SOURCE_NOT_MOVED");
        assertThat(remote("drop/inbox/stuck.mp4")).exists();
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).isEmpty();
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
