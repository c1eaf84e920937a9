package io.vmegcamel.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds minimal media files box by box for tests. */
final class TestMedia {

    private TestMedia() {
    }

    /** ftyp + moov(mvhd v0, trak(tkhd v0 with size)) + mdat padding. */
    static byte[] mp4(long durationMs, int width, int height, int mdatBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, box("ftyp", concat(ascii("isom"), ByteBuffer.allocate(4).putInt(512).array(), ascii("isommp41"))));
        ByteBuffer mvhd = ByteBuffer.allocate(100);
        mvhd.putInt(0).putInt(0).putInt(0).putInt(600).putInt((int) (durationMs * 600 / 1000));
        ByteBuffer tkhd = ByteBuffer.allocate(84);
        tkhd.putInt(3).putInt(0).putInt(0).putInt(1).putInt(0).putInt((int) (durationMs * 600 / 1000));
        tkhd.position(76);
        tkhd.putInt(width << 16).putInt(height << 16);
        byte[] trak = box("trak", box("tkhd", tkhd.array()));
        write(out, box("moov", concat(box("mvhd", mvhd.array()), trak)));
        write(out, box("mdat", new byte[mdatBytes]));
        return out.toByteArray();
    }

    /** 16-bit mono PCM WAV at 16 kHz of that many milliseconds. */
    static byte[] wav(long durationMs) {
        int dataBytes = (int) (16000L * 2 * durationMs / 1000);
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(dataBytes);
        return b.array();
    }

    static byte[] box(String type, byte[] payload) {
        return concat(ByteBuffer.allocate(4).putInt(8 + payload.length).array(), ascii(type), payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            write(out, p);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
