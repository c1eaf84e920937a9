package io.vmegcamel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background MD5 of an assembly file from its start: parts hashed in order as they are recorded, stopped at
 * the first part not in the file, started over when a part inside the hashed prefix is recorded anew, and handed
 * to complete only as far as the parts it completes.
 */
class AssemblyHashesTest {

    private static final int PART = 64 * 1024;
    private static final String UPLOAD = "upl_1";

    @TempDir
    Path dir;

    private final Map<Integer, ObjectStore.StoredObject> recorded = new ConcurrentHashMap<>();
    private final AssemblyHashes hashes = new AssemblyHashes((id, n) -> recorded.get(n));

    private Path assembly;
    private byte[] bytes;

    private void write(int n, byte fill) throws Exception {
        byte[] part = new byte[PART];
        Arrays.fill(part, fill);
        part[n] = (byte) n;
        System.arraycopy(part, 0, bytes, (n - 1) * PART, PART);
        try (FileChannel ch = FileChannel.open(assembly, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(part), (n - 1L) * PART);
        }
        hashes.record(UPLOAD, n,
                () -> recorded.put(n, new ObjectStore.StoredObject(assembly, (n - 1L) * PART, PART, "tag" + n)));
    }

    private String md5OfParts(int k) {
        return Ids.toHex(Ids.md5().digest(Arrays.copyOf(bytes, k * PART)));
    }

    private void setUp(int parts) {
        assembly = dir.resolve("assembly");
        bytes = new byte[parts * PART];
    }

    @Test
    void partsAreHashedInOrderAsFarAsTheyAreThere() throws Exception {
        setUp(4);
        write(2, (byte) 2);
        write(4, (byte) 4);
        write(1, (byte) 1); // 1 and 2 now run from the start; 3 is missing
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 2);
        write(3, (byte) 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 4);

        AssemblyHashes.Taken taken = hashes.take(UPLOAD, 4);
        assertThat(taken.through()).isEqualTo(4);
        assertThat(Ids.toHex(taken.md5().digest())).isEqualTo(md5OfParts(4));
        assertThat(hashes.hashedThrough(UPLOAD)).isZero();
    }

    @Test
    void aPartRecordedAnewInsideTheHashedPrefixStartsTheHashOver() throws Exception {
        setUp(3);
        write(1, (byte) 1);
        write(2, (byte) 7); // wrong bytes, hashed
        write(3, (byte) 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 3);

        hashes.record(UPLOAD, 2, () -> recorded.remove(2)); // re-uploaded into a file of its own
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 1);
        write(2, (byte) 2); // and later again into the assembly file, with other bytes
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 3);

        AssemblyHashes.Taken taken = hashes.take(UPLOAD, 3);
        assertThat(Ids.toHex(taken.md5().digest())).isEqualTo(md5OfParts(3));
    }

    @Test
    void aHashPastThePartsCompletedIsNotHandedOn() throws Exception {
        setUp(3);
        write(1, (byte) 1);
        write(2, (byte) 2);
        write(3, (byte) 3); // uploaded, but complete lists parts 1 and 2 only
        await().atMost(Duration.ofSeconds(10)).until(() -> hashes.hashedThrough(UPLOAD) == 3);

        AssemblyHashes.Taken taken = hashes.take(UPLOAD, 2);
        assertThat(taken.through()).isZero();
        assertThat(Ids.toHex(taken.md5().digest())).isEqualTo(Ids.toHex(Ids.md5().digest()));
    }
}
