package io.vmegcamel.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MediaProbeTest {

    @TempDir
    Path dir;

    static MediaProbe.Info probeBytes(byte[] bytes) {
        try {
            Path f = Files.createTempFile("probe", ".bin");
            try {
                Files.write(f, bytes);
                return MediaProbe.probe(f);
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsDurationAndSizeFromAMinimalMp4() {
        assertThat(probeBytes(TestMedia.mp4(12_345, 1280, 720, 64)))
                .isEqualTo(new MediaProbe.Info(true, 12_345, 1280, 720));
    }

    @Test
    void findsMoovAfterMdatAndSkipsAnAudioTrackWithoutSize() {
        ByteBuffer mvhd = ByteBuffer.allocate(100).putInt(0).putInt(0).putInt(0).putInt(1000).putInt(90_000);
        ByteBuffer audioTkhd = ByteBuffer.allocate(84).putInt(3);
        ByteBuffer videoTkhd = ByteBuffer.allocate(84).putInt(3);
        videoTkhd.position(76);
        videoTkhd.putInt(3840 << 16).putInt(2160 << 16);
        byte[] moov = TestMedia.box("moov", TestMedia.concat(TestMedia.box("mvhd", mvhd.array()),
                TestMedia.box("trak", TestMedia.box("tkhd", audioTkhd.array())),
                TestMedia.box("trak", TestMedia.concat(TestMedia.box("edts", new byte[4]), TestMedia.box("tkhd", videoTkhd.array())))));
        byte[] file = TestMedia.concat(TestMedia.box("ftyp", TestMedia.ascii("isom0000")), TestMedia.box("mdat", new byte[1000]), moov);
        assertThat(probeBytes(file)).isEqualTo(new MediaProbe.Info(true, 90_000, 3840, 2160));
    }

    @Test
    void readsVersion1Mvhd() {
        ByteBuffer mvhd = ByteBuffer.allocate(112).put((byte) 1).put(new byte[3]).putLong(0).putLong(0).putInt(48_000)
                .putLong(48_000L * 125);
        byte[] file = TestMedia.concat(TestMedia.box("ftyp", TestMedia.ascii("M4A 0000")),
                TestMedia.box("moov", TestMedia.box("mvhd", mvhd.array())));
        assertThat(probeBytes(file)).isEqualTo(new MediaProbe.Info(true, 125_000, 0, 0));
    }

    @Test
    void readsWavDurationFromDataSizeAndByteRate() {
        assertThat(probeBytes(TestMedia.wav(2_500))).isEqualTo(new MediaProbe.Info(true, 2_500, 0, 0));
        assertThat(probeBytes(SilentMedia.wav(1.5)).durationMs()).isEqualTo(1_500);
        assertThat(probeBytes(SilentMedia.m4a(2.25)).durationMs()).isEqualTo(2_250);
    }

    @Test
    void unparseableInputIsReportedAsUnknown() throws IOException {
        assertThat(probeBytes("not a media file at all".getBytes()).parsed()).isFalse();
        assertThat(probeBytes(new byte[3]).parsed()).isFalse();
        byte[] truncated = TestMedia.mp4(1_000, 1, 1, 0);
        assertThat(probeBytes(java.util.Arrays.copyOf(truncated, 40)).parsed()).isFalse();
        assertThat(MediaProbe.probe(dir.resolve("missing.mp4")).parsed()).isFalse();
    }
}
