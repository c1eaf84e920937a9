package io.vmegcamel.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.CamelContext;

/**
 * Refuses to start when the webhook or the management port is taken. Camel's platform-http only logs a port it
 * cannot bind and starts all the same: the bundle would run without its webhook, and VMEG's deliveries would reach
 * whatever holds the port.
 */
final class PortCheck {

    private PortCheck() {
    }

    static void requireFree(CamelContext context) {
        String host = context.resolvePropertyPlaceholders("{{camel.server.host:0.0.0.0}}");
        requireFree(host, context.resolvePropertyPlaceholders("{{camel.server.port}}"),
                "webhook port (vmeg.http-port, VMEG_HTTP_PORT)");
        requireFree(host, context.resolvePropertyPlaceholders("{{camel.management.port}}"),
                "management port (vmeg.management-port, VMEG_MANAGEMENT_PORT)");
    }

    private static void requireFree(String host, String port, String which) {
        int p = Integer.parseInt(port.trim());
        if (p == 0) {
            return; // any free port
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the server will: connections of a previous run in TIME_WAIT do not count
            probe.bind(new InetSocketAddress(host, p));
        } catch (IOException e) {
            throw new IllegalStateException("the " + which + " " + host + ":" + p + " cannot be opened ("
                    + e.getMessage() + "): another process holds it; stop it or choose another port");
        }
    }
}
