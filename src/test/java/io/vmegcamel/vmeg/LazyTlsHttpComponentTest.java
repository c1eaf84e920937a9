package io.vmegcamel.vmeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vmegcamel.it.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS set up at the first https call still verifies the server's certificate, against the configured trust. */
class LazyTlsHttpComponentTest {

    private static final SelfSignedTls TLS = SelfSignedTls.create();
    private static HttpsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TLS.serverContext()));
        server.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private String url() {
        return "http:https://127.0.0.1:" + server.getAddress().getPort() + "/hello";
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefused() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("http", new LazyTlsHttpComponent());
            camel.start();
            assertThatThrownBy(() -> camel.createProducerTemplate().requestBody(url(), "", String.class))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theConfiguredTrustStoreIsUsed() throws Exception {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + TLS.keyStore());
        store.setPassword(TLS.password());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        LazyTlsHttpComponent http = new LazyTlsHttpComponent();
        http.setSslContextParameters(ssl);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("http", http);
            camel.start();
            assertThat(camel.createProducerTemplate().requestBody(url(), "", String.class)).isEqualTo("hello");
        }
    }
}
