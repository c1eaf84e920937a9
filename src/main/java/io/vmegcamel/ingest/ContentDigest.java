package io.vmegcamel.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 of a file (VMEG's {@code fileHash}), streamed through one 1 MiB direct buffer: memory stays flat. */
public final class ContentDigest {

    private static final int BUFFER = 1024 * 1024;

    private ContentDigest() {
    }

    public record Digest(String md5Hex, long size) {
    }

    public static Digest md5(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            long size = 0;
            while (channel.read(buffer) >= 0 || buffer.position() > 0) {
                buffer.flip();
                size += buffer.remaining();
                md5.update(buffer);
                buffer.clear();
            }
            return new Digest(HexFormat.of().formatHex(md5.digest()), size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
