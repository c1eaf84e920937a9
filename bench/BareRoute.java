import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.webhook.SignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The benchmarks' baseline: Camel Main with one platform-http route answering 200 on /webhooks/vmeg, nothing
 * else (no properties file, no ledger, no sandbox). Run from the bundle's jar so that both sides load the same
 * Camel, Vert.x and logging: {@code javac -cp vmeg-camel.jar BareRoute.java && java -cp vmeg-camel.jar:. BareRoute <port>}.
 * With a webhook secret as second argument the route first does what the bundle's intake does before storing:
 * checks the signature on the raw bytes (the bundle's {@link SignatureVerifier}) and parses the JSON (401 when
 * the signature is wrong), so that the webhook benchmark can tell that work from the cost of storing.
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
        SignatureVerifier verifier = args.length > 1
                ? new SignatureVerifier(List.of(args[1]), Duration.ofMinutes(5), Clock.systemUTC()) : null;
        ObjectMapper json = new ObjectMapper();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/webhooks/vmeg?httpMethodRestrict=POST")
                        .process(e -> {
                            int status = 200;
                            if (verifier != null) {
                                byte[] body = e.getMessage().getBody(byte[].class);
                                status = verifier.verify(e.getMessage().getHeader("X-Timestamp", String.class),
                                        e.getMessage().getHeader("X-Signature", String.class), body).valid()
                                        && json.readTree(body).path("data").isObject() ? 200 : 401;
                            }
                            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
                        })
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .setBody(constant("{\"status\":\"accepted\"}"));
            }
        });
        main.run(new String[0]);
    }
}
