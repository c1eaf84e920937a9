package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.vmeg.VmegPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * VMEG refusing the key (401) or the credits (402) is not the file's fault: ingest pauses with the reason in
 * health, files wait in the inbox (none is failed), and ingest resumes once VMEG accepts again.
 */
class AccessPauseTest extends BundleTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.pause.probe-interval-ms", "300");
        return p;
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.managementPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String body(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.managementPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.managementPort()
                + "/observe/health")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aRefusedKeyPausesIngestUntilVmegAcceptsItAgain() throws Exception {
        sandbox().injectFault("POST", VmegPaths.GEN_UPLOAD_URL, 401, 401, "Invalid or missing API Key", 1);
        sandbox().injectFault("GET", VmegPaths.TASK_LIST, 401, 401, "Invalid or missing API Key", 3);
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> health().contains("ingest paused: VMEG refuses the API key"));
        assertThat(health()).contains("{\"name\":\"vmeg-access\",\"status\":\"DOWN\"");
        // still in service: the webhook keeps taking the results of tasks already bought
        assertThat(status("/observe/health/ready")).as(body("/observe/health/ready")).isEqualTo(200);
        assertThat(env.inbox().resolve("demo.mp4")).exists();
        assertThat(list(env.failed())).isEmpty();

        awaitFile(env.archive().resolve("demo.mp4"));
        assertThat(calls("GET", VmegPaths.TASK_LIST)).extracting(r -> r.status()).startsWith(401, 401, 401).contains(200);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).hasSize(1);
        await().atMost(PATIENCE).until(() -> health().contains("{\"name\":\"vmeg-access\",\"status\":\"UP\""));
    }

    @Test
    void runningOutOfCreditsPausesIngestUntilThereAreCreditsAgain() throws Exception {
        sandbox().setCredits(0);
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> health().contains("ingest paused: VMEG says the account is out of credits"));
        assertThat(env.inbox().resolve("demo.mp4")).exists();
        assertThat(list(env.failed())).isEmpty();

        sandbox().setCredits(1_000_000);
        awaitFile(env.archive().resolve("demo.mp4"));

        List<Task> attempts = ledger().tasks().forJob(ledger().jobs().recent(1).get(0).id());
        Task last = attempts.stream().max((a, b) -> Integer.compare(a.attempt(), b.attempt())).orElseThrow();
        assertThat(last.state()).isEqualTo(TaskState.DOWNLOADED);
        assertThat(attempts).filteredOn(t -> t != last).isNotEmpty().allMatch(t -> t.state() == TaskState.REJECTED);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).filteredOn(r -> r.status() != 200)
                .isNotEmpty().allMatch(r -> r.status() == 402);
    }
}
