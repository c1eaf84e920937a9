package io.vmegcamel.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * Names the bundle creates, kept within the file-system limit of 255 bytes per name (UTF-8 bytes, not characters:
 * a CJK character takes 3) including every suffix added later. A name too long is cut at a character boundary and
 * ends in {@code ~} plus 8 hex digits of the SHA-256 of the full name, so shortened names stay unique and
 * recognisable.
 */
public final class FileNames {

    /** Longest name (one path element) on common file systems (ext4, XFS, APFS, NTFS in UTF-16 units). */
    public static final int MAX_NAME_BYTES = 255;
    /** Room for what is appended to a name: "." + "." + UUID + ".part" of a hidden part file. */
    private static final int PART_ROOM = 2 + 36 + 5;
    /** Room for {@code -99999} (uniqueness), then {@code .error.json} (the longest companion) and a part file. */
    private static final int SOURCE_ROOM = 6 + ".error.json".length() + PART_ROOM;
    /**
     * Longest outbox folder name before its uniqueness suffix: leaves room in
     * {@code <folder>-N.<language>.audio.<ext>} and its part file (language codes are at most 16 bytes).
     */
    public static final int OUTPUT_BASE_BYTES = MAX_NAME_BYTES - 6 - (1 + 16 + ".audio.".length() + 5) - PART_ROOM;
    private static final int HASH_SUFFIX = 9; // "~" + 8 hex

    private FileNames() {
    }

    public static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code s} if it fits in {@code maxBytes}, else its longest prefix that fits with {@code ~<hash8>} appended. */
    public static String shorten(String s, int maxBytes) {
        if (bytes(s) <= maxBytes) {
            return s;
        }
        int budget = maxBytes - HASH_SUFFIX;
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int size = bytes(new String(Character.toChars(cp)));
            if (used + size > budget) {
                break;
            }
            prefix.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return prefix + "~" + sha256(s).substring(0, 8);
    }

    /** A source file name (kept with its extension) short enough for its uniqueness suffix, report and part file. */
    public static String sourceName(String name) {
        String ext = extensionWithDot(name);
        return shorten(name.substring(0, name.length() - ext.length()), MAX_NAME_BYTES - SOURCE_ROOM - bytes(ext))
                + ext;
    }

    /** The hidden part file written before {@code target} is renamed into place. */
    public static Path partFileOf(Path target, String unique) {
        String name = target.getFileName().toString();
        return target.resolveSibling("." + shorten(name, MAX_NAME_BYTES - 2 - bytes(unique) - 5) + "." + unique
                + ".part");
    }

    /**
     * {@code dir/name} (shortened by {@link #sourceName}), or {@code dir/stem-2.ext}, {@code -3}... when taken by a
     * file, its sidecar ({@code .vmeg.json}), its error report ({@code .error.json}), or {@code reserved} (e.g. the
     * recorded target of another job's move).
     */
    public static Path uniqueTarget(Path dir, String name, Predicate<Path> reserved) {
        String fitted = sourceName(name);
        String ext = extensionWithDot(fitted);
        String stem = fitted.substring(0, fitted.length() - ext.length());
        for (int n = 1; ; n++) {
            Path candidate = dir.resolve(n == 1 ? fitted : stem + "-" + n + ext);
            String file = candidate.getFileName().toString();
            if (!Files.exists(candidate) && !Files.exists(candidate.resolveSibling(file + ".error.json"))
                    && !Files.exists(candidate.resolveSibling(file + ".vmeg.json")) && !reserved.test(candidate)) {
                return candidate;
            }
        }
    }

    /** ".mp4" for "a.mp4"; "" without a short extension (a long "extension" is part of the name). */
    static String extensionWithDot(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || name.length() - dot > 9 ? "" : name.substring(dot);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
