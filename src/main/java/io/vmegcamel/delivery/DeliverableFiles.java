package io.vmegcamel.delivery;

import io.vmegcamel.delivery.Manifests.Entry;
import io.vmegcamel.vmeg.VmegException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a downloaded body into the outbox: into a hidden part file of its own, counting and hashing as it
 * goes, then checks the size against VMEG's before the atomic rename. Whatever goes wrong (stall, truncation,
 * too large, too slow, disk), the part file is deleted and the connection dropped, so nothing half-written is
 * ever visible and no GBs are drained for nothing.
 */
public final class DeliverableFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverableFiles.class);
    private static final int BUFFER = 64 * 1024;

    private final DownloadPolicy policy;
    private final Duration readTimeout;
    private final Duration transferTimeout;

    public DeliverableFiles(DownloadPolicy policy, Duration readTimeout, Duration transferTimeout) {
        this.policy = policy;
        this.readTimeout = readTimeout;
        this.transferTimeout = transferTimeout;
    }

    /**
     * Writes the body of a 2xx answer to {@code d.target()}.
     *
     * @param url           the link that answered (after redirects), for messages
     * @param contentLength the Content-Length header, or null
     * @return the file's manifest entry (size and SHA-256 computed while streaming)
     */
    public Entry store(Deliverable d, String url, InputStream body, Long contentLength) {
        String operation = Deliverable.operation(url);
        long expected = d.expectedSize();
        long started = System.nanoTime();
        Path part = d.target().resolveSibling("." + d.target().getFileName() + "." + UUID.randomUUID() + ".part");
        boolean delivered = false;
        try {
            if (contentLength != null && contentLength >= 0) {
                if (policy.maxBytes() > 0 && contentLength > policy.maxBytes()) {
                    throw policy.tooLarge(d.toString(), "Content-Length " + contentLength);
                }
                if (expected > 0 && contentLength != expected) {
                    throw sizeMismatch(operation, "the CDN announces " + contentLength + " bytes", expected);
                }
            }
            if (body == null) {
                body = InputStream.nullInputStream();
            }
            Files.createDirectories(d.target().getParent());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                for (int n = read(body, buffer, operation, size, expected); n >= 0;
                     n = read(body, buffer, operation, size, expected)) {
                    size += n;
                    if (policy.maxBytes() > 0 && size > policy.maxBytes()) {
                        throw policy.tooLarge(d.toString(), "more than " + policy.maxBytes() + " bytes received");
                    }
                    if (expected > 0 && size > expected) {
                        throw sizeMismatch(operation, "received more than that", expected);
                    }
                    if (System.nanoTime() - started > transferTimeout.toNanos()) {
                        throw new VmegException(operation, 0, 0, "transfer not done after "
                                + human(transferTimeout) + " (vmeg.http.transfer-timeout), " + size + " bytes received", null, null);
                    }
                    sha256.update(buffer, 0, n);
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.force(true);
            }
            if (expected > 0 && size != expected) {
                throw sizeMismatch(operation, "received " + size + " bytes", expected);
            }
            Files.move(part, d.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            delivered = true;
            LOG.info("VMEG {} -> {} bytes into {} ({} ms)", operation, size, d.target().getFileName(),
                    (System.nanoTime() - started) / 1_000_000);
            return new Entry(d.role(), d.target().getFileName().toString(), size,
                    HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + d.target() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (!delivered) {
                abort(body);
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", part, e.getMessage());
                }
            }
        }
    }

    /**
     * A non-2xx, non-3xx answer to a download: a VmegException carrying its status and the start of its body; an
     * {@link ExpiredLinkException} for 403/404/410.
     */
    public void refuse(String url, int status, InputStream body) {
        String text = "";
        if (body != null) {
            try {
                text = new String(body.readNBytes(2048), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                text = e.toString();
            } finally {
                abort(body);
            }
        }
        String message = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        if (ExpiredLinkException.isExpiry(status)) {
            throw new ExpiredLinkException(Deliverable.operation(url), status, message);
        }
        throw new VmegException(Deliverable.operation(url), status, status, message, null, null);
    }

    /** Lets go of a redirect's body without keeping its connection busy. */
    public void discard(InputStream body) {
        if (body == null) {
            return;
        }
        try {
            body.readNBytes(BUFFER); // a redirect's body is tiny: read to the end keeps the connection reusable
            if (body.read() < 0) {
                body.close();
                return;
            }
        } catch (IOException e) {
            // dropped below
        }
        abort(body);
    }

    /** Reads from the network: a failure there is "no answer" (retryable), unlike a failure of our disk. */
    private int read(InputStream body, byte[] buffer, String operation, long received, long expected) {
        try {
            return body.read(buffer);
        } catch (SocketTimeoutException e) {
            throw new VmegException(operation, 0, 0, "no data for " + human(readTimeout) + " (vmeg.http.read-timeout)"
                    + " after " + received + " bytes", null, e);
        } catch (IOException e) {
            throw new VmegException(operation, 0, 0, "body cut off after " + received + " bytes"
                    + (expected > 0 ? ", the result says " + expected : "") + ": " + e.getMessage(), null, e);
        }
    }

    /** 60s, 2h, 1500ms: as the settings are written. */
    private static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static VmegException sizeMismatch(String operation, String what, long expected) {
        return new VmegException(operation, 0, 0, what + ", the result says " + expected, null, null);
    }

    /**
     * Closes the body without reading the rest of it: closing an HTTP body stream normally drains it to keep the
     * connection, which for a stalled or oversized download would mean waiting or downloading for nothing.
     */
    private static void abort(InputStream body) {
        if (body == null) {
            return;
        }
        try {
            if (body instanceof EofSensorInputStream sensor) {
                sensor.abort();
            } else {
                body.close();
            }
        } catch (IOException e) {
            // the connection is gone either way
        }
    }
}
