package io.vmegcamel.vmeg;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/** TEMPORARY (lead branch): direct:vmeg-get over the old client, until the camel-http route lands. */
public final class VmegGetStub {

    private final VmegClient client;

    public VmegGetStub(VmegClient client) {
        this.client = client;
    }

    public JsonNode get(Exchange exchange) {
        String query = exchange.getMessage().getHeader("VmegQuery", "", String.class);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return client.get(exchange.getMessage().getHeader("VmegPath", String.class), params);
    }
}
