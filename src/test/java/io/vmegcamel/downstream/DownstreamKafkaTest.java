package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.ledger.Job;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A real Kafka 4 broker (KRaft, in-process): a two-language job that completes reaches the topic as three
 * structured-mode CloudEvents keyed by the job id; the job event is recorded once, after both languages ended.
 */
class DownstreamKafkaTest extends BundleTestSupport {

    static final KafkaClusterTestKit KAFKA = startKafka();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.downstream.endpoints", "kafka:vmeg-events?brokers=" + KAFKA.bootstrapServers());
        p.setProperty("vmeg.downstream.poll-ms", "200");
        return p;
    }

    @AfterAll
    static void stopKafka() throws Exception {
        KAFKA.close();
    }

    @Test
    void aCompletedJobReachesKafkaKeyedByJobId() throws Exception {
        dropSidecar("demo.mp4", "{\"targetLanguages\": [\"de-DE\", \"es-ES\"]}");
        drop("sample.mp4", "demo.mp4");

        List<ConsumerRecord<String, String>> records = consume(3);
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(job.id());
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            assertThat(new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("application/cloudevents+json; charset=UTF-8");
            JsonNode ce = json.readTree(r.value());
            assertThat(EventSchemas.errors(ce)).as("schema of %s", ce.path("type")).isEmpty();
            events.add(ce);
        }
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactlyInAnyOrder(
                EventTypes.TASK_FINISHED, EventTypes.TASK_FINISHED, EventTypes.JOB_COMPLETED);
        assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
        JsonNode completed = events.stream().filter(e -> e.path("type").asText().equals(EventTypes.JOB_COMPLETED))
                .findFirst().orElseThrow();
        assertThat(completed.path("data").path("languages")).extracting(l -> l.path("language").asText() + "="
                + l.path("state").asText()).containsExactlyInAnyOrder("de-DE=DOWNLOADED", "es-ES=DOWNLOADED");

        List<OutboxStore.Event> recorded = new OutboxStore(ledger()).eventsOfJob(job.id());
        assertThat(recorded).extracting(OutboxStore.Event::type).containsExactly(EventTypes.TASK_FINISHED,
                EventTypes.TASK_FINISHED, EventTypes.JOB_COMPLETED);
        Instant lastLanguage = recorded.get(1).occurredAt();
        assertThat(recorded.get(2).occurredAt()).isAfterOrEqualTo(lastLanguage);
        assertThat(consume(0)).as("nothing more than the three events").isEmpty();
    }

    /** Reads the topic from the start until {@code n} records arrived (n = 0: for two seconds). */
    private List<ConsumerRecord<String, String>> consume(int n) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("vmeg-events"));
            long deadline = System.nanoTime() + (n == 0 ? Duration.ofSeconds(2) : PATIENCE).toNanos();
            while (System.nanoTime() < deadline && (n == 0 || all.size() < n)) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return n == 0 ? all.subList(Math.min(3, all.size()), all.size()) : all;
    }

    private static KafkaClusterTestKit startKafka() {
        try {
            KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker", e);
        }
    }
}
