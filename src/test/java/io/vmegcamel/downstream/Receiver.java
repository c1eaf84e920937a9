package io.vmegcamel.downstream;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A real HTTP(S) receiver for the tests: records every request, answers a status the test sets. */
final class Receiver implements AutoCloseable {

    /** @param answered false when the receiver held the request without answering (status -1) */
    record Request(String path, Map<String, List<String>> headers, byte[] body, Instant arrivedAt, boolean answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final int port;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private SSLContext tls;

    /** Reserves a port; the receiver is down until {@link #start}. */
    Receiver() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves https with this key and certificate (before {@link #start}). */
    Receiver tls(SSLContext serverContext) {
        tls = serverContext;
        return this;
    }

    Receiver start() {
        try {
            if (tls != null) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            }
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int answer = status.get();
            requests.add(new Request(x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()), body,
                    Instant.now(), answer > 0));
            if (answer < 0) {
                return; // never answered: the exchange stays open until the client goes away
            }
            x.sendResponseHeaders(answer, -1);
            x.close();
        });
        server.start();
        return this;
    }

    String url(String path) {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
