package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.sandbox.RecordedRequest;
import io.vmegcamel.vmeg.VmegPaths;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A failing VMEG is not hammered: after vmeg.breaker.window failing calls (5xx) the circuit breaker opens and
 * further calls fail at once without reaching VMEG (retryable, so the file is retried and then reported); once
 * vmeg.breaker.open-for has passed, a trial call that succeeds closes it again.
 */
class CircuitBreakerTest extends BundleTestSupport {

    private static final String GEN = VmegPaths.GEN_UPLOAD_URL;

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.breaker.window", "4");
        p.setProperty("vmeg.breaker.minimum-calls", "4");
        p.setProperty("vmeg.breaker.failure-rate", "50");
        p.setProperty("vmeg.breaker.open-for", "3s");
        p.setProperty("vmeg.breaker.half-open-calls", "1");
        p.setProperty("vmeg.retry.max-redeliveries", "8");
        p.setProperty("vmeg.retry.delay-ms", "50");
        p.setProperty("vmeg.retry.max-delay-ms", "100");
        return p;
    }

    @Test
    void theBreakerOpensOnA5xxStormAndClosesAfterRecovery() {
        sandbox().injectFault("POST", GEN, 503, 503, "service unavailable", 4);
        drop("sample.mp4", "first.mp4");
        JsonNode report = readJson(awaitFile(env.failed().resolve("first.mp4.error.json")));

        // 1 attempt + 8 redeliveries, but only the 4 that opened the breaker reached VMEG
        assertThat(calls("POST", GEN)).extracting(RecordedRequest::status).containsExactly(503, 503, 503, 503);
        assertThat(report.path("error").asText()).isEqualTo("VMEG_UNAVAILABLE");
        assertThat(report.path("message").asText()).contains("circuit breaker open");

        // VMEG has recovered (the fault is used up); after open-for, a trial call goes through and closes it
        await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
        drop("sample.mp4", "second.mp4");
        awaitFile(env.archive().resolve("second.mp4"));
        assertThat(calls("POST", GEN)).extracting(RecordedRequest::status).containsExactly(503, 503, 503, 503, 200);
        assertThat(calls("POST", VmegPaths.MEDIA_TRANSLATION_CREATE)).extracting(RecordedRequest::status)
                .containsExactly(200);
    }
}
