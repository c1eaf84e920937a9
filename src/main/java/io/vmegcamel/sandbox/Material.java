package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;

/** A registered material. Its URLs are signed afresh every time it is rendered. */
final class Material {

    final String materialId;
    final String category;
    final String name;
    final String key;
    final String mimeType;
    final String fileHash;
    final long filesize;
    final long durationMs;
    final int width;
    final int height;
    final Instant createTime;
    volatile Instant updateTime;
    volatile boolean deleted;

    Material(String materialId, String name, String key, String fileHash, long filesize, MediaProbe.Info probe) {
        this.materialId = materialId;
        this.category = MediaTypes.category(name);
        this.name = name;
        this.key = key;
        this.mimeType = MediaTypes.mimeType(name);
        this.fileHash = fileHash;
        this.filesize = filesize;
        // STRICT/realistic fallback: unparseable media counts as one minute, 1080p for video
        this.durationMs = probe.parsed() ? probe.durationMs() : 60_000;
        boolean video = "video".equals(category);
        this.width = video ? (probe.width() > 0 ? probe.width() : 1920) : 0;
        this.height = video ? (probe.height() > 0 ? probe.height() : 1080) : 0;
        this.createTime = Instant.now();
        this.updateTime = createTime;
    }

    /** A material as saved before a restart (see {@link SandboxState}). */
    Material(String materialId, String name, String key, String fileHash, long filesize, long durationMs, int width,
             int height, Instant createTime, Instant updateTime, boolean deleted) {
        this.materialId = materialId;
        this.category = MediaTypes.category(name);
        this.name = name;
        this.key = key;
        this.mimeType = MediaTypes.mimeType(name);
        this.fileHash = fileHash;
        this.filesize = filesize;
        this.durationMs = durationMs;
        this.width = width;
        this.height = height;
        this.createTime = createTime;
        this.updateTime = updateTime;
        this.deleted = deleted;
    }

    boolean isVideo() {
        return "video".equals(category);
    }

    String resolution() {
        return isVideo() ? width + "x" + height : "";
    }

    static String thumbnailPath(String materialId) {
        return "thumbnails/" + materialId + ".png";
    }

    ObjectNode toJson(UrlSigner signer, Duration ttl) {
        ObjectNode o = Json.object();
        o.put("materialId", materialId);
        o.put("category", category);
        o.put("name", name);
        o.put("addressUrl", signer.cdnUrl("objects/" + key, ttl));
        o.put("thumbnailUrl", isVideo() ? signer.cdnUrl(thumbnailPath(materialId), ttl) : "");
        o.put("audioUrl", "");
        o.put("resolution", resolution());
        o.put("mimeType", mimeType);
        o.put("fileHash", fileHash);
        o.put("filesize", filesize);
        o.put("duration", durationMs);
        o.put("createTime", Ids.iso(createTime));
        o.put("updateTime", Ids.iso(updateTime));
        return o;
    }
}
