package io.vmegcamel.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A multipart part's ETag: its CRC-32C and length, 32 hex digits like S3's. Clients treat part ETags as opaque
 * (S3's are not MD5s either under SSE-KMS); the object's MD5 is checked against {@code fileHash} at complete. An MD5
 * per part as well would hash every multipart byte twice on the sandbox's machine, which the machine's own uploads
 * then wait for; CRC-32C runs in hardware.
 */
final class PartTags {

    private PartTags() {
    }

    static String of(CRC32C crc, long length) {
        return String.format("%08x%024x", crc.getValue(), length);
    }

    /** Blocking: the tag of a whole file, streamed. */
    static String ofFile(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        long length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; length += r) {
                crc.update(buf, 0, r);
            }
        }
        return of(crc, length);
    }
}
