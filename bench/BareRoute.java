import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The benchmarks' baseline: Camel Main with one platform-http route answering 200 on /webhooks/vmeg, nothing
 * else (no properties file, no ledger, no sandbox). Run from the bundle's jar so that both sides load the same
 * Camel, Vert.x and logging: {@code javac -cp vmeg-camel.jar BareRoute.java && java -cp vmeg-camel.jar:. BareRoute <port>}.
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
                from("platform-http:/webhooks/vmeg?httpMethodRestrict=POST")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .setBody(constant("{\"status\":\"accepted\"}"));
            }
        });
        main.run(new String[0]);
    }
}
