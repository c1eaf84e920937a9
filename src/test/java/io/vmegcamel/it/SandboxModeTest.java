package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Running on the built-in sandbox is announced with a WARN banner at start and shown in health. */
class SandboxModeTest extends BundleTestSupport {

    private static LogCapture capture;

    @BeforeAll
    static void captureTheLog() {
        capture = new LogCapture("capture-mode", "%level %c{1} %m%n");
    }

    @AfterAll
    static void stopCapturing() {
        capture.close();
    }

    /** The {@code vmeg} check as {@code /observe/health} on the management port shows it (with {@code ?query}). */
    static JsonNode vmegCheck(TestEnv env, String query) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + env.managementPort() + "/observe/health" + query);
        await().atMost(PATIENCE).until(() -> http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode check : new ObjectMapper().readTree(body).path("checks")) {
            if (check.path("name").asText().equals("vmeg")) {
                return check;
            }
        }
        throw new AssertionError("no vmeg check in " + body);
    }

    @Test
    void theSandboxIsAnnouncedAndShownInHealth() throws Exception {
        JsonNode check = vmegCheck(env, "");
        JsonNode detailed = vmegCheck(env, "?data=true");

        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("message").asText()).isEqualTo("mode: sandbox (the built-in "
                + "VMEG sandbox: no real VMEG, nothing really dubbed; VMEG_SANDBOX=false for the real one)");
        assertThat(detailed.path("data").path("mode").asText()).isEqualTo("sandbox");
        assertThat(detailed.path("data").path("baseUrl").asText()).isEqualTo(sandbox().baseUrl());
        String log = capture.text();
        assertThat(log).contains("WARN SandboxBanner \n****")
                .contains("* VMEG SANDBOX MODE: this bundle is NOT talking to the real VMEG.")
                .contains("The built-in sandbox at " + sandbox().baseUrl() + " plays VMEG's part")
                .contains("nothing is really dubbed").contains("VMEG_SANDBOX=false");
    }
}
