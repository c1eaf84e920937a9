package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Bursts of webhooks: each delivery is answered once its event is journaled, and the journal moves them into the
 * ledger; duplicates are stored once; while the ledger fails, deliveries are still taken and reach it once it
 * works; and when too much waits for a failing ledger, deliveries get 503 and nothing is acknowledged that is not
 * kept. (What a crash leaves in the journal: EventJournalTest; kill -9 of the whole bundle: the chaos run.)
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

    private record Answer(int status, String body) {
    }

    /** Sends the bodies all at once (released together). */
    private List<Answer> burst(List<String> bodies) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (String body : bodies) {
            Callable<Answer> send = () -> {
                go.await();
                HttpResponse<String> r = SignedWebhook.post(env, SECRET, body);
                return new Answer(r.statusCode(), r.body());
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

    private static List<String> events(String prefix, int n) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(event(prefix + i));
        }
        return bodies;
    }

    @Test
    void manyConcurrentDistinctEventsAreEachAcceptedAndStoredOnce() throws Exception {
        List<Answer> answers = burst(events("burst-", 300));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("{\"status\":\"accepted\"}");
        });
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(300);
        for (int i = 0; i < 300; i++) {
            assertThat(ledger().events().byPipelineKey("burst-" + i)).isPresent();
        }
    }

    @Test
    void concurrentDeliveriesOfOneEventAreStoredOnce() throws Exception {
        List<Answer> answers = burst(Collections.nCopies(40, event("same-key")));

        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(new Answer(200, "{\"status\":\"accepted\"}")));
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(1);
    }

    @Test
    void whileTheLedgerFailsDeliveriesAreKeptAndReachItOnceItWorks() throws Exception {
        ledger().jdbc().update("ALTER TABLE webhook_event RENAME TO webhook_event_away");
        List<Answer> answers;
        try {
            answers = burst(events("kept-", 40));
            // the mover retries meanwhile: what it could not store is still journaled
            assertThat(list(env.webhookJournal())).anyMatch(f -> f.toString().endsWith(".journal"));
        } finally {
            ledger().jdbc().update("ALTER TABLE webhook_event_away RENAME TO webhook_event");
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(40);
    }

    @Test
    void whenTooMuchWaitsForAFailingLedgerDeliveriesGet503AndVmegsRetryIsStoredLater() throws Exception {
        ledger().jdbc().update("ALTER TABLE webhook_event RENAME TO webhook_event_away");
        List<HttpResponse<String>> answers = new ArrayList<>();
        String pad = "x".repeat(4 * 1024 * 1024);
        try {
            for (int i = 0; i < 10; i++) { // 40 MiB against the journal's 32 MiB waiting for the ledger
                answers.add(SignedWebhook.post(env, SECRET, bigEvent("big-" + i, pad)));
            }
        } finally {
            ledger().jdbc().update("ALTER TABLE webhook_event_away RENAME TO webhook_event");
        }

        assertThat(answers.subList(0, 7)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        assertThat(answers.subList(7, 10)).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(503);
            assertThat(a.body()).isEqualTo("{\"error\":\"the event could not be stored; please retry\"}");
        });
        awaitWebhooksStored();
        assertThat(ledger().events().count()).isEqualTo(7);
        assertThat(ledger().events().byPipelineKey("big-7")).isEmpty();
        // VMEG's retry, once there is room again, is stored
        assertThat(SignedWebhook.post(env, SECRET, bigEvent("big-7", pad)).statusCode()).isEqualTo(200);
        awaitWebhooksStored();
        assertThat(ledger().events().byPipelineKey("big-7")).isPresent();
    }

    private static String bigEvent(String key, String pad) {
        return event(key).replace("\"results\":[]", "\"results\":[],\"pad\":\"" + pad + "\"");
    }
}
