package io.vmegcamel.downstream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.util.URISupport;

/**
 * One configured downstream endpoint: a Camel endpoint URI, optionally preceded by a filter on event types in
 * square brackets, e.g. {@code [job.*,task.failed]kafka:vmeg-events?brokers=kafka:9092}. Entries of
 * {@code vmeg.downstream.endpoints} are separated by whitespace (spaces, tabs, newlines), which a URI cannot
 * contain unencoded.
 *
 * @param uri      the endpoint URI as configured (may carry credentials: never log it, see {@link #display})
 * @param patterns type patterns; empty = every event
 */
public record Endpoint(String uri, List<String> patterns) {

    /** How the dispatcher prepares the message: http (signed), kafka, jms, file or other (log, ...). */
    public enum Kind { HTTP, KAFKA, JMS, FILE, OTHER }

    public static List<Endpoint> parseList(String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return endpoints;
        }
        for (String entry : value.trim().split("\\s+")) {
            endpoints.add(parse(entry));
        }
        return endpoints;
    }

    public static Endpoint parse(String entry) {
        List<String> patterns = List.of();
        String uri = entry;
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("vmeg.downstream.endpoints: '[' without ']' in a filter");
            }
            patterns = Arrays.stream(entry.substring(1, end).split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            uri = entry.substring(end + 1);
        }
        if (!uri.matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) {
            throw new IllegalArgumentException("vmeg.downstream.endpoints: '" + URISupport.sanitizeUri(uri)
                    + "' is not a Camel endpoint URI (scheme:...)");
        }
        return new Endpoint(uri, patterns);
    }

    /** Every event, unless a pattern is set: then a type matching one, in full or by its tail (job.*). */
    public boolean accepts(String type) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String p : patterns) {
            String regex = Arrays.stream(p.split("\\*", -1)).map(Pattern::quote)
                    .reduce((a, b) -> a + ".*" + b).orElse("");
            if (type.matches(regex) || type.matches(".*\\." + regex)) {
                return true;
            }
        }
        return false;
    }

    public String scheme() {
        return uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return switch (scheme()) {
            case "http", "https" -> Kind.HTTP;
            case "kafka" -> Kind.KAFKA;
            case "jms", "amqp", "activemq", "sjms", "sjms2" -> Kind.JMS;
            case "file" -> Kind.FILE;
            default -> Kind.OTHER;
        };
    }

    /**
     * The URI a delivery is sent to. An https one goes through the bundle's {@code http} component like every other
     * call ({@code http:https://…}), not Camel's separate {@code https} component, so that the configured proxy,
     * trust store, User-Agent and no-client-retries apply to it too. A file endpoint writes under a temporary name
     * and renames (atomic), and its folder is made absolute: given a relative one such as {@code file:./events},
     * Camel's file producer also created an empty {@code events/events/} (it resolved the file's folder against the
     * endpoint's a second time).
     */
    public String target() {
        if (scheme().equals("https")) {
            return "http:https:" + uri.substring(uri.indexOf(':') + 1);
        }
        if (kind() != Kind.FILE) {
            return uri;
        }
        int q = uri.indexOf('?');
        String folder = uri.substring("file:".length(), q < 0 ? uri.length() : q).replaceFirst("^//", "");
        String options = q < 0 ? "" : uri.substring(q + 1);
        if (!options.contains("tempPrefix=") && !options.contains("tempFileName=")) {
            options = options + (options.isEmpty() ? "" : "&") + "tempPrefix=.inflight-";
        }
        return "file:" + Path.of(folder).toAbsolutePath().normalize() + "?" + options;
    }

    /** Identifies the endpoint in the ledger without storing its credentials. */
    public String key() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(uri.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URI with passwords and tokens masked. */
    public String display() {
        return URISupport.sanitizeUri(uri);
    }

    @Override
    public String toString() {
        return (patterns.isEmpty() ? "" : patterns + "") + display();
    }
}
