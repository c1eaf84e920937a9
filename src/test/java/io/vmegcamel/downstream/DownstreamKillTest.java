package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.it.TestEnv;
import io.vmegcamel.ledger.Ledger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@code kill -9}: the bundle runs as a child JVM, a file is translated, and the JVM is killed while the
 * receiver holds its deliveries unanswered (sent, never acknowledged). A second JVM on the same folders and ledger
 * delivers every event again once the lease has run out: nothing lost, the same ids.
 */
class DownstreamKillTest {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "kill-secret-0123456789abc".getBytes(StandardCharsets.UTF_8));
    final TestEnv env = TestEnv.create();
    final Receiver receiver = new Receiver();
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        receiver.close();
    }

    @Test
    void aKillDuringDispatchLosesNoEvent() throws Exception {
        receiver.status.set(-1); // hold every request: the sender waits for an answer that never comes
        receiver.start();
        Process first = start("first");
        Files.createDirectories(env.inbox());
        try (InputStream in = getClass().getResourceAsStream("/media/sample.mp4")) {
            Path hidden = Files.write(env.inbox().resolve(".demo.mp4.part"), in.readAllBytes());
            Files.move(hidden, env.inbox().resolve("demo.mp4"), StandardCopyOption.ATOMIC_MOVE);
        }
        // both events (task.finished, job.completed) are on the wire, unanswered
        await().atMost(Duration.ofSeconds(90)).until(() -> receiver.requests.stream()
                .map(r -> r.header("webhook-id")).distinct().count() == 2);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
        List<String> ids = receiver.requests.stream().map(r -> r.header("webhook-id")).distinct().toList();

        receiver.status.set(200);
        Process second = start("second");
        // the ledger of the running JVM, through H2's auto server, once that JVM holds the file (opening it while
        // the bundle takes it over from the killed one made H2 refuse the bundle: the ledger now asks again)
        await().atMost(Duration.ofSeconds(90)).until(() -> !second.isAlive() || healthAnswers());
        assertThat(second.isAlive()).as("second bundle running").isTrue();
        Ledger running = Ledger.open(ledgerUrl(), "sa", "", 2);
        try (Ledger ledger = running) {
            OutboxStore store = new OutboxStore(ledger);
            await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream()
                    .allMatch(id -> store.deliveriesOf(id).get(0).state().equals(OutboxStore.DELIVERED)));
            assertThat(store.recentEvents(10)).extracting(OutboxStore.Event::id).containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(receiver.requests.stream().filter(Receiver.Request::answered).map(r -> r.header("webhook-id"))
                .distinct()).containsExactlyInAnyOrderElementsOf(ids);
    }

    private boolean healthAnswers() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + env.managementPort() + "/observe/health")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String ledgerUrl() {
        return "jdbc:h2:file:" + env.root().resolve("data").resolve("ledger") + ";AUTO_SERVER=TRUE";
    }

    private Process start(String name) throws Exception {
        Properties p = env.properties();
        p.setProperty("vmeg.ledger.url", ledgerUrl());
        p.setProperty("vmeg.downstream.endpoints", receiver.url("/events"));
        p.setProperty("vmeg.downstream.secret", SECRET);
        p.setProperty("vmeg.downstream.poll-ms", "200");
        p.setProperty("vmeg.downstream.lease", "3s");
        // on a directory classpath Camel Main finds classpath:routes/ twice; name the folder once
        p.setProperty("camel.main.routes-include-pattern", "file:" + Path.of("target", "classes", "routes")
                .toAbsolutePath() + "/*.camel.yaml");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        p.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.vmegcamel.app.Application");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(env.root().resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }
}
