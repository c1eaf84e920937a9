package io.vmegcamel.downstream;

import java.time.Duration;
import java.util.List;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code vmeg.downstream.*} settings (application.properties; environment variables VMEG_DOWNSTREAM_*).
 *
 * @param endpoints          where every event goes (see {@link Endpoint})
 * @param secrets            space-separated whsec_ secrets for HTTP endpoints (kept out of toString)
 * @param source             the CloudEvent source of this bundle
 * @param pollMs             how often the dispatcher looks for new events and due deliveries
 * @param batch              events routed and deliveries sent per poll at most
 * @param threads            deliveries sent in parallel
 * @param lease              how long a claimed delivery is protected from a second sender (longer than any send)
 * @param retryInitial       first retry delay, doubled at each attempt
 * @param retryMax           longest retry delay
 * @param maxAge             a delivery still failing this long after the event is dead
 * @param permanentAttempts  attempts after which a permanent refusal (HTTP 4xx other than 408/429) is dead
 */
public record DownstreamSettings(List<Endpoint> endpoints, String secrets, String source, long pollMs,
                                 int batch, int threads, Duration lease, Duration retryInitial, Duration retryMax,
                                 Duration maxAge, int permanentAttempts) {

    public static DownstreamSettings load(PropertiesComponent p) {
        return new DownstreamSettings(
                Endpoint.parseList(get(p, "vmeg.downstream.endpoints", "")),
                get(p, "vmeg.downstream.secret", ""),
                get(p, "vmeg.downstream.source", "urn:vmeg-camel"),
                duration(p, "vmeg.downstream.poll-ms", "1000").toMillis(),
                Integer.parseInt(get(p, "vmeg.downstream.batch", "100")),
                Integer.parseInt(get(p, "vmeg.downstream.threads", "4")),
                duration(p, "vmeg.downstream.lease", "5m"),
                duration(p, "vmeg.downstream.retry-initial", "2s"),
                duration(p, "vmeg.downstream.retry-max", "10m"),
                duration(p, "vmeg.downstream.max-age", "24h"),
                Integer.parseInt(get(p, "vmeg.downstream.permanent-attempts", "3")));
    }

    private static String get(PropertiesComponent p, String key, String fallback) {
        return p.resolveProperty(key).map(String::trim).orElse(fallback);
    }

    private static Duration duration(PropertiesComponent p, String key, String fallback) {
        String v = get(p, key, fallback);
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(v.isEmpty() ? fallback : v));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a duration (e.g. 500, 30s, 10m, 24h)");
        }
    }

    @Override
    public String toString() {
        return "DownstreamSettings[endpoints=" + endpoints + ", secrets=" + (secrets.isBlank() ? "none" : "***")
                + ", source=" + source + ", pollMs=" + pollMs + ", batch=" + batch + ", threads=" + threads + ", lease=" + lease
                + ", retryInitial=" + retryInitial + ", retryMax=" + retryMax + ", maxAge=" + maxAge
                + ", permanentAttempts=" + permanentAttempts + "]";
    }
}
