package io.vmegcamel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmegcamel.delivery.FileNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A name that fits the file system (255 bytes) but not once the bundle adds its suffixes: 80 CJK characters are 240
 * UTF-8 bytes, so {@code <name>.mp4} fits, {@code <name>.mp4.error.json} and {@code <name>.de-DE.mp4} would not.
 * Every name the bundle creates is shortened at a character boundary with {@code ~} and 8 hex digits of a hash.
 */
class LongNamesTest extends BundleTestSupport {

    private static final String STEM = "長".repeat(40) + "い名前".repeat(13) + "動";   // 80 characters, 240 bytes

    @Test
    void aLongCjkNameComesOutShortenedRecognisablyAndEveryNameFits() throws Exception {
        assertThat(FileNames.bytes(STEM + ".mp4")).isEqualTo(244);
        // 254 bytes: written in place (a hidden part name would be too long for a copy tool too)
        Files.writeString(Files.createDirectories(env.inbox()).resolve(STEM + ".mp4.vmeg.json"),
                "{\"targetLanguages\": [\"de-DE\"]}");
        drop("sample.mp4", STEM + ".mp4");
        dropBytes(STEM + ".mov", new byte[0]); // refused: its report needs a name that fits too

        String outputName = STEM.substring(0, 56) + "~" + hash8(STEM);          // 168 + 9 bytes
        awaitFile(env.archive().resolve(outputName + ".mp4"));
        assertThat(env.archive().resolve(outputName + ".mp4.vmeg.json")).exists();
        assertThat(env.outbox().resolve(outputName).resolve("de-DE").resolve(outputName + ".de-DE.mp4")).exists();
        awaitFile(env.outbox().resolve(outputName).resolve("job.json")); // written once the source is archived

        String failedName = STEM.substring(0, 60) + "~" + hash8(STEM);          // 180 + 9 bytes, + ".mov"
        awaitFile(env.failed().resolve(failedName + ".mov")); // moved after its report was written
        assertThat(env.failed().resolve(failedName + ".mov.error.json")).exists();
        assertThat(readJson(env.failed().resolve(failedName + ".mov.error.json")).path("error").asText())
                .isEqualTo("EMPTY_FILE");

        assertThat(list(env.inbox())).isEmpty();
        try (Stream<Path> all = Files.walk(env.root())) {
            List<String> names = all.filter(p -> !p.startsWith(env.root().resolve("data")))
                    .map(p -> p.getFileName().toString()).toList();
            assertThat(names).hasSizeGreaterThan(8).allSatisfy(n -> assertThat(FileNames.bytes(n)).isLessThanOrEqualTo(255));
        }
    }

    @Test
    void shorteningIsByBytesAtCharacterBoundariesAndUnique() {
        assertThat(FileNames.shorten("short", 10)).isEqualTo("short");
        String a = FileNames.shorten("é".repeat(20), 20);
        assertThat(FileNames.bytes(a)).isLessThanOrEqualTo(20);
        assertThat(a).startsWith("é".repeat(5)).matches("é{5}~[0-9a-f]{8}");
        assertThat(FileNames.shorten("é".repeat(20) + "x", 20)).isNotEqualTo(a);
        assertThat(FileNames.bytes(FileNames.sourceName("語".repeat(84) + ".mp4") + ".error.json")).isLessThanOrEqualTo(255);
    }

    private static String hash8(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 8);
    }
}
