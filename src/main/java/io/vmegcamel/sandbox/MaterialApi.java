package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.nio.file.Files;
import java.util.regex.Pattern;

/** Single-file upload (gen-upload-url, complete), material list and delete (§3.3, §3.5). */
final class MaterialApi {

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

    private final Sandbox s;

    MaterialApi(Sandbox s) {
        this.s = s;
    }

    void register(ApiRoutes routes) {
        routes.post("assets/material/upload/gen-upload-url", true, this::genUploadUrl)
                .post("assets/material/upload/complete", true, this::complete)
                .get("assets/material/list", this::list)
                .post("assets/material/delete", true, this::delete);
    }

    private Future<JsonNode> genUploadUrl(ApiCall call) {
        Fields b = call.queryOnly().body().only("fileHash", "fileName");
        String hash = fileHash(b);
        String name = fileName(b);
        ObjectNode data = Json.object();
        Material dup = s.materials.byHash(hash);
        if (dup != null) { // instant upload: no PUT, no complete
            data.put("uploadUrl", "");
            data.set("material", dup.toJson(s.signer, s.config.deliverableTtl()));
            return Future.succeededFuture(data);
        }
        MaterialStore.Reservation r = s.materials.reserve(hash, name);
        data.put("uploadUrl", s.signer.presignPut(r.key(), "", s.config.uploadUrlTtl()));
        data.put("s3Uri", r.s3Uri());
        data.put("materialId", r.materialId());
        return Future.succeededFuture(data);
    }

    private Future<JsonNode> complete(ApiCall call) {
        Fields b = call.queryOnly().body().only("s3Uri", "fileName", "materialId", "fileHash");
        String s3Uri = b.text("s3Uri", true);
        String name = fileName(b);
        String materialId = b.text("materialId", true);
        String hash = fileHash(b);
        MaterialStore.Reservation r = s.materials.reservation(materialId);
        if (r == null) {
            throw ApiException.notFound("material " + materialId + " was not issued by gen-upload-url");
        }
        if (!r.fileHash().equals(hash)) {
            throw ApiException.badRequest("fileHash does not match the fileHash given to gen-upload-url for material "
                    + materialId);
        }
        if (!r.s3Uri().equals(s3Uri)) {
            throw ApiException.badRequest("s3Uri does not match the s3Uri issued for material " + materialId
                    + " (expected " + r.s3Uri() + ")");
        }
        if (!r.fileName().equals(name)) { // STRICT: the docs say "original file name"; it must be the same one
            throw ApiException.badRequest("fileName \"" + name + "\" does not match the fileName given to"
                    + " gen-upload-url for material " + materialId + " (\"" + r.fileName() + "\")");
        }
        Material existing = s.materials.registered(materialId);
        if (existing != null) {
            return alreadyRegistered(existing);
        }
        ObjectStore.StoredObject o = s.store.object(r.key());
        if (o == null) {
            throw ApiException.badRequest("no object uploaded at " + s3Uri);
        }
        if (!o.etag().equals(hash)) { // an object's ETag is its MD5
            throw ApiException.badRequest("fileHash does not match the uploaded bytes (their MD5 is " + o.etag() + ")");
        }
        return registerMaterial(r, o).map(m -> m.toJson(s.signer, s.config.deliverableTtl()));
    }

    /** Completing an already registered material again returns it (unless it was deleted since). */
    Future<JsonNode> alreadyRegistered(Material m) {
        if (m.deleted) {
            throw ApiException.notFound("material " + m.materialId + " was deleted");
        }
        return Future.succeededFuture(m.toJson(s.signer, s.config.deliverableTtl()));
    }

    /** Probes the stored object (blocking, on a worker), writes the thumbnail and registers the material. */
    Future<Material> registerMaterial(MaterialStore.Reservation r, ObjectStore.StoredObject o) {
        return s.vertx.executeBlocking(() -> {
            Material m = new Material(r.materialId(), r.fileName(), r.key(), r.fileHash(), o.size(),
                    MediaProbe.probe(o.file()));
            if (m.isVideo()) {
                Files.write(s.store.root().resolve(Material.thumbnailPath(m.materialId)), SilentMedia.png());
            }
            s.store.seal(r.key());
            return s.materials.registerIfAbsent(m);
        }, false);
    }

    private Future<JsonNode> list(ApiCall call) {
        call.queryOnly("currentPage", "pageSize");
        int page = call.queryInt("currentPage", 1, 1, Integer.MAX_VALUE);
        int size = call.queryInt("pageSize", 20, 1, Paging.MAX_PAGE_SIZE);
        return Future.succeededFuture(Paging.page(s.materials.list(), page, size,
                m -> m.toJson(s.signer, s.config.deliverableTtl())));
    }

    private Future<JsonNode> delete(ApiCall call) {
        Fields b = call.queryOnly().body().only("materialId");
        String id = b.text("materialId", true);
        Material m = s.materials.active(id);
        if (m == null) {
            throw ApiException.notFound("material " + id + " not found");
        }
        s.materials.delete(m);
        return Future.succeededFuture(null);
    }

    static String fileHash(Fields b) {
        String hash = b.string("fileHash", true);
        if (!MD5_HEX.matcher(hash).matches()) {
            throw ApiException.badRequest("field 'fileHash' must be the MD5 of the whole file as 32 lowercase hex"
                    + " characters (got \"" + hash + "\")");
        }
        return hash;
    }

    static String fileName(Fields b) {
        String name = b.text("fileName", true);
        if (name.length() > 255 || name.contains("/") || name.contains("\\")) {
            throw ApiException.badRequest("field 'fileName' must be a plain file name of at most 255 characters,"
                    + " without directories (got \"" + name + "\")");
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw ApiException.badRequest("field 'fileName' must have a name and an extension, e.g. demo.mp4"
                    + " (got \"" + name + "\")");
        }
        if (MediaTypes.category(name) == null) {
            throw ApiException.badRequest("unsupported file extension '." + MediaTypes.extension(name)
                    + "' in fileName; supported extensions are " + MediaTypes.supported());
        }
        return name;
    }
}
