package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.ledger.Job;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An embedded ActiveMQ Artemis broker: a completed job reaches a JMS queue as two CloudEvents, once each. */
class DownstreamJmsTest extends BundleTestSupport {

    static final String BROKER = "tcp://127.0.0.1:" + freePort();
    static final EmbeddedActiveMQ ARTEMIS = startArtemis();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        // the documented way to give camel-jms a broker: a connection factory bean, then the endpoint URI
        p.setProperty("camel.beans.artemis", "#class:org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory");
        p.setProperty("camel.beans.artemis.brokerURL", BROKER);
        p.setProperty("camel.component.jms.connection-factory", "#artemis");
        p.setProperty("vmeg.downstream.endpoints", "[task.*,job.*]jms:queue:vmeg-events");
        p.setProperty("vmeg.downstream.poll-ms", "200");
        return p;
    }

    @AfterAll
    static void stopArtemis() throws Exception {
        ARTEMIS.stop();
    }

    @Test
    void aCompletedJobReachesTheQueue() throws Exception {
        drop("sample.mp4", "demo.mp4");

        List<Message> messages = new ArrayList<>();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(BROKER);
             JMSContext jms = cf.createContext();
             JMSConsumer consumer = jms.createConsumer(jms.createQueue("vmeg-events"))) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (messages.size() < 2 && System.nanoTime() < deadline) {
                Message m = consumer.receive(500);
                if (m != null) {
                    messages.add(m);
                }
            }
            assertThat(consumer.receive(1500)).as("nothing more than the two events").isNull();
        }
        Job job = ledger().jobs().recent(1).get(0);
        assertThat(messages).hasSize(2);
        List<String> types = new ArrayList<>();
        for (Message m : messages) {
            JsonNode ce = json.readTree(((TextMessage) m).getText());
            assertThat(EventSchemas.errors(ce)).as("schema of %s", ce.path("type")).isEmpty();
            assertThat(m.getJMSCorrelationID()).isEqualTo(ce.path("id").asText());
            assertThat(m.getStringProperty("content_type")).isEqualTo("application/cloudevents+json; charset=UTF-8");
            assertThat(ce.path("subject").asText()).isEqualTo("demo.mp4");
            types.add(ce.path("type").asText());
        }
        assertThat(types).containsExactlyInAnyOrder(EventTypes.TASK_FINISHED, EventTypes.JOB_COMPLETED);
        assertThat(new OutboxStore(ledger()).eventsOfJob(job.id())).extracting(OutboxStore.Event::type)
                .containsExactly(EventTypes.TASK_FINISHED, EventTypes.JOB_COMPLETED);
    }

    private static EmbeddedActiveMQ startArtemis() {
        try {
            EmbeddedActiveMQ artemis = new EmbeddedActiveMQ();
            artemis.setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", BROKER));
            artemis.start();
            return artemis;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Artemis broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
