package io.vmegcamel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentDigestTest {

    @Test
    void md5MatchesTheJdkOverSeveralBuffers(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("big.bin"), bytes);

        ContentDigest.Digest d = ContentDigest.md5(file);

        assertThat(d.size()).isEqualTo(bytes.length);
        assertThat(d.md5Hex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    }

    @Test
    void knownValue(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("fox.txt"), "The quick brown fox jumps over the lazy dog");
        assertThat(ContentDigest.md5(file).md5Hex()).isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
    }
}
