import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.webhook.SignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.model.RouteDefinition;

/**
 * The benchmarks' baseline: Camel Main with one platform-http route answering 200 on /webhooks/vmeg, nothing
 * else (no properties file, no ledger, no sandbox). Run from the bundle's jar so that both sides load the same
 * Camel, Vert.x and logging: {@code javac -cp vmeg-camel.jar BareRoute.java && java -cp vmeg-camel.jar:. BareRoute <port>}.
 * With a webhook secret as second argument the route first does what the bundle's intake does before storing
 * ({@link Verifying}), so that the webhook benchmark can tell that work from the cost of storing.
 */
public class BareRoute {

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false"); // not the bundle's application.properties in the jar
        main.addInitialProperty("camel.main.name", "bare");
        // no route discovery: the default classpath:camel/* pattern would make Camel read the whole jar
        main.addInitialProperty("camel.main.routes-collector-enabled", "false");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", args[0]);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                RouteDefinition route = from("platform-http:/webhooks/vmeg?httpMethodRestrict=POST");
                if (args.length > 1) {
                    route.process(new Verifying(args[1])); // only then: its classes stay out of the cold start
                } else {
                    route.setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200));
                }
                route.setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .setBody(constant("{\"status\":\"accepted\"}"));
            }
        });
        main.run(new String[0]);
    }

    /**
     * Checks the signature on the raw bytes with the bundle's {@link SignatureVerifier} and parses the JSON:
     * 200 for a signed VMEG event, 401 otherwise.
     */
    static final class Verifying implements Processor {

        private final SignatureVerifier verifier;
        private final ObjectMapper json = new ObjectMapper();

        Verifying(String secret) {
            verifier = new SignatureVerifier(List.of(secret), Duration.ofMinutes(5), Clock.systemUTC());
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Message m = exchange.getMessage();
            byte[] body = m.getBody(byte[].class);
            boolean signed = verifier.verify(m.getHeader("X-Timestamp", String.class),
                    m.getHeader("X-Signature", String.class), body).valid();
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, signed && json.readTree(body).path("data").isObject() ? 200 : 401);
        }
    }
}
