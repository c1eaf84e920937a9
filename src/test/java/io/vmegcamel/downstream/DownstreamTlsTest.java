package io.vmegcamel.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmegcamel.it.BundleTestSupport;
import io.vmegcamel.it.SelfSignedTls;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A downstream receiver on https with a certificate only the operator's camel.ssl.* trust store knows (an
 * internal CA): deliveries to https:// URIs go through the bundle's http component and trust that store too.
 */
class DownstreamTlsTest extends BundleTestSupport {

    private static final SelfSignedTls TLS = SelfSignedTls.create();
    private static final Receiver RECEIVER = new Receiver().tls(TLS.serverContext()).start();

    @Override
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("vmeg.downstream.endpoints", RECEIVER.url("/hooks"));
        p.setProperty("vmeg.downstream.secret", DownstreamHttpTest.NEW_SECRET);
        p.setProperty("vmeg.downstream.poll-ms", "200");
        p.setProperty("vmeg.downstream.retry-initial", "200ms");
        p.setProperty("vmeg.downstream.retry-max", "1s");
        return p;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return TLS.camelSslLocations();
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @Test
    void outcomesReachAnHttpsReceiverTrustedThroughCamelSsl() {
        drop("sample.mp4", "demo.mp4");

        await().atMost(PATIENCE).until(() -> RECEIVER.requests.stream()
                .anyMatch(r -> r.text().contains(EventTypes.JOB_COMPLETED)));
        // sent by the bundle's configured http component, like its calls to VMEG
        assertThat(RECEIVER.requests).extracting(r -> r.header("User-Agent")).containsOnly("vmeg-camel/0.1");
    }
}
