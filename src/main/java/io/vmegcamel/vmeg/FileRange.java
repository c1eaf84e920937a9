package io.vmegcamel.vmeg;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A PUT body of exactly {@code length} bytes of a file from {@code offset}, read from disk while sending (the heap
 * stays flat on multi-GB files). No content type and a known length: camel-http sends an exact Content-Length,
 * never chunked, and no Content-Type (presigned storage URLs are signed without one).
 */
public final class FileRange extends AbstractHttpEntity {

    private final Path file;
    private final long offset;
    private final long length;

    public FileRange(Path file, long offset, long length) {
        super((String) null, null, false);
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public InputStream getContent() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new FilterInputStream(Channels.newInputStream(channel)) {
            private long remaining = length;

            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    remaining--;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = super.read(buffer, off, (int) Math.min(len, remaining));
                if (n > 0) {
                    remaining -= n;
                }
                return n;
            }
        };
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = getContent()) {
            byte[] buffer = new byte[64 * 1024];
            long remaining = length;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException(file + " is shorter than expected: " + remaining + " bytes missing");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }

    @Override
    public void close() {
        // nothing held open between writes
    }

    @Override
    public String toString() {
        return "bytes " + offset + "-" + (offset + length - 1) + " of " + file.getFileName();
    }
}
