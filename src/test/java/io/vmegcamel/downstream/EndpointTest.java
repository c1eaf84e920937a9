package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void theListIsSplitOnWhitespaceAndEachEntryMayCarryATypeFilter() {
        List<Endpoint> list = Endpoint.parseList("""
                https://hooks.example.com/vmeg?a=1&b=2
                  [job.*,task.failed]kafka:vmeg-events?brokers=k1:9092,k2:9092\tfile:/srv/events log:vmeg""");
        assertThat(list).extracting(Endpoint::uri).containsExactly("https://hooks.example.com/vmeg?a=1&b=2",
                "kafka:vmeg-events?brokers=k1:9092,k2:9092", "file:/srv/events", "log:vmeg");
        assertThat(list).extracting(Endpoint::kind).containsExactly(Endpoint.Kind.HTTP, Endpoint.Kind.KAFKA,
                Endpoint.Kind.FILE, Endpoint.Kind.OTHER);
        Endpoint kafka = list.get(1);
        assertThat(kafka.accepts(EventTypes.JOB_COMPLETED)).isTrue();
        assertThat(kafka.accepts(EventTypes.JOB_FAILED)).isTrue();
        assertThat(kafka.accepts(EventTypes.TASK_FAILED)).isTrue();
        assertThat(kafka.accepts(EventTypes.TASK_FINISHED)).isFalse();
        assertThat(list.get(0).accepts(EventTypes.TASK_FINISHED)).isTrue();
        assertThat(Endpoint.parse("[io.vmegcamel.media-translation.task.finished]log:x").accepts(EventTypes.TASK_FINISHED))
                .isTrue();
        assertThat(Endpoint.parseList("  ")).isEmpty();
    }

    @Test
    void aFileEndpointWritesAtomicallyAndSecretsStayOutOfTheLedgerText() {
        assertThat(Endpoint.parse("file:/srv/events").target()).isEqualTo("file:/srv/events?tempPrefix=.inflight-");
        assertThat(Endpoint.parse("file:/srv/events?tempFileName=x.tmp").target()).isEqualTo(
                "file:/srv/events?tempFileName=x.tmp");
        // relative folders become absolute (Camel made an empty events/events/ beside the files of file:./events)
        String here = Path.of("").toAbsolutePath().toString();
        assertThat(Endpoint.parse("file:./events").target())
                .isEqualTo("file:" + here + "/events?tempPrefix=.inflight-");
        assertThat(Endpoint.parse("file://out/events?fileExist=Fail").target())
                .isEqualTo("file:" + here + "/out/events?fileExist=Fail&tempPrefix=.inflight-");
        // https goes through the bundle's configured http component, like every other call
        assertThat(Endpoint.parse("HTTPS://hooks.example.com/x?a=1").target())
                .isEqualTo("http:https://hooks.example.com/x?a=1");
        assertThat(Endpoint.parse("http://hooks.example.com/x").target()).isEqualTo("http://hooks.example.com/x");
        Endpoint secret = Endpoint.parse("https://u:pw@hooks.example.com/x?password=hunter2");
        assertThat(secret.display()).doesNotContain("hunter2");
        assertThat(secret.key()).hasSize(64).isNotEqualTo(Endpoint.parse("https://hooks.example.com/x").key());
    }

    @Test
    void badEntriesGetASpecificError() {
        assertThatThrownBy(() -> Endpoint.parse("[job.*kafka:x")).hasMessageContaining("'[' without ']'");
        assertThatThrownBy(() -> Endpoint.parse("not a uri")).hasMessageContaining("is not a Camel endpoint URI");
        assertThatThrownBy(() -> new WebhookSigner("whsec_!!!", Clock.systemUTC()))
                .hasMessage("vmeg.downstream.secret: not whsec_<base64> (entry 1)");
        assertThatThrownBy(() -> new WebhookSigner("whsec_c2hvcnQ=", Clock.systemUTC()))
                .hasMessageContaining("too short");
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCapAndOnlyClientErrorsArePermanent() {
        DownstreamSettings s = new DownstreamSettings(List.of(), "", "urn:x", 1000, 100, 1, Duration.ofMinutes(5),
                Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofHours(24), 3);
        Dispatcher d = new Dispatcher(() -> null, () -> null, s, Clock.systemUTC());
        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(d::backoff).toList()).containsExactly(Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertThat(Dispatcher.isPermanent(http(400))).isTrue();
        assertThat(Dispatcher.isPermanent(http(410))).isTrue();
        assertThat(Dispatcher.isPermanent(http(408))).isFalse();
        assertThat(Dispatcher.isPermanent(http(429))).isFalse();
        assertThat(Dispatcher.isPermanent(http(503))).isFalse();
        assertThat(Dispatcher.isPermanent(new java.net.ConnectException("refused"))).isFalse();
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://x", status, "status", null, null, null);
    }
}
