package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bursts of webhooks: concurrent deliveries share ledger commits (group commit), yet each is answered only
 * once its own event is stored, duplicates are still stored once, and nothing is acknowledged that a failed
 * commit did not store.
 */
class WebhookBurstTest extends BundleTestSupport {

    private static final String SECRET = "sandbox-webhook-secret";
    private final ExecutorService vmeg = Executors.newFixedThreadPool(32);

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.public-url", "http://127.0.0.1:9"); // only the test's webhooks arrive
        return p;
    }

    @AfterEach
    void stopSenders() {
        vmeg.shutdownNow();
    }

    private static String event(String key) {
        return "{\"code\":200,\"version\":\"v1\",\"event\":\"openapi-tts\",\"pipelineKey\":\"" + key + "\","
                + "\"message\":\"\",\"extraData\":{},\"data\":{\"taskId\":\"t_" + key + "\","
                + "\"createdAt\":\"2025-05-01T10:00:00Z\",\"results\":[]}}";
    }

    private record Answer(int status, String body, boolean storedWhenAnswered) {
    }

    /** Sends the bodies all at once (released together), each 200 followed at once by a ledger read. */
    private List<Answer> burst(List<String> keys) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (String key : keys) {
            Callable<Answer> send = () -> {
                go.await();
                HttpResponse<String> r = SignedWebhook.post(env, SECRET, event(key));
                boolean stored = r.statusCode() == 200 && ledger().events().byPipelineKey(key).isPresent();
                return new Answer(r.statusCode(), r.body(), stored);
            };
            answers.add(vmeg.submit(send));
        }
        go.countDown();
        List<Answer> result = new ArrayList<>();
        for (Future<Answer> a : answers) {
            result.add(a.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        return result;
    }

    @Test
    void manyConcurrentDistinctEventsAreEachStoredOnceAndInTheLedgerWhenAnswered() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add("burst-" + i);
        }

        List<Answer> answers = burst(keys);

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("{\"status\":\"accepted\"}");
            assertThat(a.storedWhenAnswered()).isTrue();
        });
        assertThat(ledger().events().count()).isEqualTo(keys.size());
        assertThat(keys).allSatisfy(k -> assertThat(ledger().events().byPipelineKey(k)).isPresent());
    }

    @Test
    void concurrentDeliveriesOfOneEventAreStoredOnce() throws Exception {
        List<Answer> answers = burst(java.util.Collections.nCopies(40, "same-key"));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.storedWhenAnswered()).isTrue();
        });
        assertThat(answers).filteredOn(a -> a.body().equals("{\"status\":\"accepted\"}")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.body().equals("{\"status\":\"duplicate\"}")).hasSize(39);
        assertThat(ledger().events().count()).isEqualTo(1);
    }

    @Test
    void whenTheCommitFailsEveryWaitingDeliveryGets503AndNoneIsAcknowledged() throws Exception {
        ledger().jdbc().update("ALTER TABLE webhook_event RENAME TO webhook_event_away");
        List<Answer> answers;
        try {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add("lost-" + i);
            }
            answers = burst(keys);
        } finally {
            ledger().jdbc().update("ALTER TABLE webhook_event_away RENAME TO webhook_event");
        }

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).isEqualTo("{\"error\":\"the event could not be stored; please retry\"}");
        });
        assertThat(ledger().events().count()).isZero();
        // VMEG's retry, once the ledger works again, is stored
        assertThat(SignedWebhook.post(env, SECRET, event("lost-0")).statusCode()).isEqualTo(200);
        assertThat(ledger().events().byPipelineKey("lost-0")).isPresent();
    }
}
