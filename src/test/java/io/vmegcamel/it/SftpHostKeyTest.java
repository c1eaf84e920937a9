package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.storage.SftpTestServer;
import io.vmegcamel.vmeg.VmegPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An SFTP server whose host key is not the one in known_hosts is refused: nothing is read, health says why. */
class SftpHostKeyTest extends BundleTestSupport {

    private static SftpTestServer sftp;
    private static Path wrongKnownHosts;

    @BeforeAll
    static void startSftp() throws Exception {
        sftp = SftpTestServer.start(Files.createDirectories(Path.of("target", "sftp-it")).toAbsolutePath()
                .resolve("hostkey-" + System.nanoTime()));
        wrongKnownHosts = sftp.knownHostsWithAnotherKey();
        Path inbox = Files.createDirectories(sftp.home().resolve("drop/inbox"));
        Files.write(inbox.resolve("talk.mp4"), sample("sample.mp4"));
    }

    @AfterAll
    static void stopSftp() throws Exception {
        if (sftp != null) {
            sftp.close();
        }
    }

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.inbox", sftp.url("/~/drop/inbox"));
        p.setProperty("vmeg.sftp.password", sftp.password());
        p.setProperty("vmeg.sftp.known-hosts-file", wrongKnownHosts.toString());
        p.setProperty("vmeg.storage.poll-ms", "200");
        return p;
    }

    @Test
    void aServerWithAnotherHostKeyIsRefused() throws Exception {
        await().atMost(PATIENCE).until(() -> health().contains("\"name\":\"vmeg-storage\",\"status\":\"DOWN\""));
        assertThat(health()).contains("the remote inbox cannot be read").contains("does NOT match the one in the known_hosts file")
                .contains("ssh-keyscan -p " + sftp.port() + " 127.0.0.1")
                .doesNotContain(sftp.password());
        assertThat(sftp.home().resolve("drop/inbox/talk.mp4")).exists();
        assertThat(sftp.home().resolve("drop/processing")).doesNotExist();
        assertThat(calls("POST", VmegPaths.GEN_UPLOAD_URL)).isEmpty();
    }

    private String health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + env.managementPort() + "/observe/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
