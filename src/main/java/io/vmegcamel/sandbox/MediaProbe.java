package io.vmegcamel.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads duration (and video size) from the few header structures that carry them, seeking instead of loading the
 * file: ISO-BMFF ({@code moov/mvhd}, first {@code trak/tkhd} with a non-zero size) and WAV (data size / byte rate).
 * Anything else is reported as not parsed; the caller then assumes 60 s (and 1920x1080 for video).
 */
public final class MediaProbe {

    /** Duration in milliseconds; width/height 0 when unknown. */
    public record Info(boolean parsed, long durationMs, int width, int height) {
        static final Info UNKNOWN = new Info(false, 0, 0, 0);
    }

    private static final int MAX_BOXES = 100_000;

    private MediaProbe() {
    }

    public static Info probe(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 12) {
                return Info.UNKNOWN;
            }
            ByteBuffer head = read(ch, 0, 12);
            String first = ascii(head, 0), third = ascii(head, 8);
            if ("RIFF".equals(first) && "WAVE".equals(third)) {
                return wav(ch, size);
            }
            if ("ftyp".equals(ascii(head, 4)) || "moov".equals(ascii(head, 4))) {
                return isoBmff(ch, size);
            }
            return Info.UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return Info.UNKNOWN;
        }
    }

    private static Info isoBmff(FileChannel ch, long size) throws IOException {
        long[] moov = findBox(ch, 0, size, "moov");
        if (moov == null) {
            return Info.UNKNOWN;
        }
        long[] mvhd = findBox(ch, moov[0], moov[1], "mvhd");
        if (mvhd == null) {
            return Info.UNKNOWN;
        }
        ByteBuffer b = read(ch, mvhd[0], 32);
        int version = b.get(0) & 0xff;
        long timescale = version == 1 ? b.getInt(20) & 0xffffffffL : b.getInt(12) & 0xffffffffL;
        long duration = version == 1 ? b.getLong(24) : b.getInt(16) & 0xffffffffL;
        if (timescale == 0 || duration < 0 || duration == 0xffffffffL) {
            return Info.UNKNOWN;
        }
        long durationMs = duration * 1000 / timescale;
        int[] wh = firstTrackSize(ch, moov[0], moov[1]);
        return new Info(true, durationMs, wh[0], wh[1]);
    }

    private static int[] firstTrackSize(FileChannel ch, long from, long to) throws IOException {
        long pos = from;
        for (int i = 0; i < MAX_BOXES && pos + 8 <= to; i++) {
            long[] box = box(ch, pos, to);
            if (box == null) {
                break;
            }
            if ("trak".equals(ascii(read(ch, pos + 4, 4), 0))) {
                long[] tkhd = findBox(ch, box[0], box[1], "tkhd");
                if (tkhd != null) {
                    int version = read(ch, tkhd[0], 1).get(0) & 0xff;
                    long at = tkhd[0] + (version == 1 ? 88 : 76);
                    if (at + 8 <= tkhd[1]) {
                        ByteBuffer wh = read(ch, at, 8);
                        int w = wh.getInt(0) >>> 16, h = wh.getInt(4) >>> 16;
                        if (w > 0 && h > 0) {
                            return new int[]{w, h};
                        }
                    }
                }
            }
            pos = box[1];
        }
        return new int[]{0, 0};
    }

    /** Payload range [start, end) of the first child box of that type within [from, to), or null. */
    private static long[] findBox(FileChannel ch, long from, long to, String type) throws IOException {
        long pos = from;
        for (int i = 0; i < MAX_BOXES && pos + 8 <= to; i++) {
            long[] box = box(ch, pos, to);
            if (box == null) {
                return null;
            }
            if (type.equals(ascii(read(ch, pos + 4, 4), 0))) {
                return box;
            }
            pos = box[1];
        }
        return null;
    }

    /** {payloadStart, boxEnd} of the box starting at pos, or null if its header is inconsistent. */
    private static long[] box(FileChannel ch, long pos, long limit) throws IOException {
        ByteBuffer h = read(ch, pos, 8);
        long size = h.getInt(0) & 0xffffffffL;
        long header = 8;
        if (size == 1) {
            if (pos + 16 > limit) {
                return null;
            }
            size = read(ch, pos + 8, 8).getLong(0);
            header = 16;
        } else if (size == 0) {
            size = limit - pos;
        }
        if (size < header || pos + size > limit) {
            return null;
        }
        return new long[]{pos + header, pos + size};
    }

    private static Info wav(FileChannel ch, long size) throws IOException {
        long pos = 12;
        long byteRate = 0;
        for (int i = 0; i < MAX_BOXES && pos + 8 <= size; i++) {
            ByteBuffer h = read(ch, pos, 8).order(ByteOrder.LITTLE_ENDIAN);
            String id = ascii(h, 0);
            long len = h.getInt(4) & 0xffffffffL;
            if ("fmt ".equals(id)) {
                byteRate = read(ch, pos + 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL;
            } else if ("data".equals(id)) {
                if (byteRate == 0) {
                    return Info.UNKNOWN;
                }
                // streaming writers leave 0 or 0xFFFFFFFF; take what the file really holds
                long available = size - (pos + 8);
                if (len == 0 || len == 0xffffffffL || len > available) {
                    len = available;
                }
                return new Info(true, len * 1000 / byteRate, 0, 0);
            }
            pos += 8 + len + (len & 1);
        }
        return Info.UNKNOWN;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    private static String ascii(ByteBuffer b, int at) {
        byte[] four = new byte[4];
        for (int i = 0; i < 4; i++) {
            four[i] = b.get(at + i);
        }
        return new String(four, StandardCharsets.ISO_8859_1);
    }
}
