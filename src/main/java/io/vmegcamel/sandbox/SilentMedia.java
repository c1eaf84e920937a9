package io.vmegcamel.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Tiny generated stand-ins for the clips, stems and thumbnails the real service renders. */
final class SilentMedia {

    private static final int WAV_RATE = 8000;
    private static final byte[] PNG_1X1 = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private SilentMedia() {
    }

    /** A valid PCM WAV (8 kHz, 8-bit, mono) of silence. */
    static byte[] wav(double seconds) {
        int samples = (int) Math.max(1, Math.round(seconds * WAV_RATE));
        ByteBuffer b = ByteBuffer.allocate(44 + samples).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + samples).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(WAV_RATE).putInt(WAV_RATE)
                .putShort((short) 1).putShort((short) 8);
        b.put(ascii("data")).putInt(samples);
        byte[] out = b.array();
        Arrays.fill(out, 44, out.length, (byte) 0x80); // unsigned 8-bit silence
        return out;
    }

    /** Silent MPEG-1 Layer III frames (32 kbit/s, 44.1 kHz, mono; all-zero side info decodes to silence). */
    static byte[] mp3(double seconds) {
        int frameSize = 104;
        int frames = (int) Math.max(1, Math.ceil(seconds * 44100 / 1152));
        byte[] out = new byte[frames * frameSize];
        for (int f = 0; f < frames; f++) {
            int o = f * frameSize;
            out[o] = (byte) 0xFF;
            out[o + 1] = (byte) 0xFB;
            out[o + 2] = (byte) 0x10;
            out[o + 3] = (byte) 0xC0;
        }
        return out;
    }

    /**
     * An ISO-BMFF audio container header ({@code ftyp M4A} + {@code moov/mvhd} with the duration). It carries no
     * audio samples: the sandbox cannot encode AAC; probes read the right duration from it.
     */
    static byte[] m4a(double seconds) {
        ByteBuffer b = ByteBuffer.allocate(20 + 8 + 108);
        b.putInt(20).put(ascii("ftyp")).put(ascii("M4A ")).putInt(0).put(ascii("isom"));
        b.putInt(8 + 108).put(ascii("moov"));
        b.putInt(108).put(ascii("mvhd")).putInt(0).putInt(0).putInt(0).putInt(1000)
                .putInt((int) Math.round(seconds * 1000)).putInt(0x00010000).putShort((short) 0x0100);
        b.position(b.position() + 10);
        int[] matrix = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
        for (int m : matrix) {
            b.putInt(m);
        }
        b.position(b.position() + 24);
        b.putInt(2);
        return b.array();
    }

    static byte[] audio(String format, double seconds) {
        return switch (format) {
            case "mp3" -> mp3(seconds);
            case "m4a" -> m4a(seconds);
            default -> wav(seconds);
        };
    }

    static byte[] png() {
        return PNG_1X1.clone();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
