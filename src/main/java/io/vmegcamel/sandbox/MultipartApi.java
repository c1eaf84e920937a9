package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multipart upload (§3.4). Initiate has no dedup shortcut (the docs' initiate response has no material field).
 * Every later call must repeat materialId, fileHash and fileName exactly as initiated.
 */
final class MultipartApi {

    private static final long RECOMMENDED_PART_SIZE = 8L * 1024 * 1024;

    private final Sandbox s;
    private final MaterialApi materialApi;
    private final Map<String, Future<Void>> completing = new ConcurrentHashMap<>();

    MultipartApi(Sandbox s, MaterialApi materialApi) {
        this.s = s;
        this.materialApi = materialApi;
    }

    void register(ApiRoutes routes) {
        String base = "assets/material/upload/multipart/";
        routes.post(base + "initiate", true, this::initiate)
                .post(base + "presign-parts", true, this::presignParts)
                .post(base + "complete", true, this::complete)
                .post(base + "abort", true, this::abort);
    }

    private Future<JsonNode> initiate(ApiCall call) {
        Fields b = call.queryOnly().body().only("fileHash", "fileName");
        MaterialStore.Multipart mp = s.materials.startMultipart(MaterialApi.fileHash(b), MaterialApi.fileName(b));
        ObjectNode data = Json.object();
        data.put("materialId", mp.target.materialId());
        data.put("s3Uri", mp.target.s3Uri());
        data.put("uploadId", mp.uploadId);
        data.put("expiresInSeconds", UrlSigner.seconds(s.config.uploadUrlTtl()));
        data.put("recommendedPartSize", partSize(s.config));
        return Future.succeededFuture(data);
    }

    /** VMEG's recommended part size; parts of one size from this up are assembled without a copy (ObjectStore). */
    static long partSize(SandboxConfig config) {
        return Math.max(RECOMMENDED_PART_SIZE, config.minPartSize());
    }

    private Future<JsonNode> presignParts(ApiCall call) {
        Fields b = call.queryOnly().body().only("materialId", "uploadId", "fileHash", "fileName", "partNumbers");
        MaterialStore.Multipart mp = openUpload(b);
        List<Long> numbers = b.integers("partNumbers", true, 1, 10000, 1, 10000);
        Set<Long> seen = new HashSet<>();
        ArrayNode urls = Json.array();
        for (long n : numbers) {
            if (!seen.add(n)) {
                throw ApiException.badRequest("field 'partNumbers' contains part " + n + " more than once");
            }
            ObjectNode u = urls.addObject();
            u.put("partNumber", n);
            u.put("url", s.signer.presignPut(mp.target.key(), "partNumber=" + n + "&uploadId=" + mp.uploadId,
                    s.config.uploadUrlTtl()));
        }
        ObjectNode data = Json.object();
        data.set("urls", urls);
        data.put("expiresInSeconds", UrlSigner.seconds(s.config.uploadUrlTtl()));
        return Future.succeededFuture(data);
    }

    /**
     * One complete of an upload at a time: a second one waits for the first and then answers as a repeat does
     * (the first may be turning the assembly file into the object, which a second must not read meanwhile).
     */
    private Future<JsonNode> complete(ApiCall call) {
        Fields b = call.queryOnly().body().only("materialId", "uploadId", "fileHash", "fileName", "parts");
        String uploadId = b.text("uploadId", true);
        Promise<Void> done = Promise.promise();
        Future<Void> turn = done.future();
        Future<Void> before = completing.put(uploadId, turn);
        Future<JsonNode> result = (before == null ? Future.<Void>succeededFuture() : before)
                .compose(v -> completeInTurn(b));
        result.onComplete(r -> {
            completing.remove(uploadId, turn);
            done.complete();
        });
        return result;
    }

    private Future<JsonNode> completeInTurn(Fields b) {
        MaterialStore.Multipart known = s.materials.multipart(b.text("uploadId", true));
        if (known != null && known.state == MaterialStore.State.COMPLETED) {
            matches(b, known);
            return materialApi.alreadyRegistered(s.materials.registered(known.target.materialId()));
        }
        MaterialStore.Multipart mp = openUpload(b);
        List<Fields> parts = b.objects("parts", true, 1, 10000);
        List<Integer> numbers = new ArrayList<>();
        Map<Integer, ObjectStore.StoredObject> stored = s.store.parts(mp.uploadId);
        for (int i = 0; i < parts.size(); i++) {
            Fields p = parts.get(i).only("partNumber", "eTag");
            int n = p.integer("partNumber", true, 1, 10000).intValue();
            String eTag = p.text("eTag", true);
            if (!numbers.isEmpty() && n <= numbers.get(numbers.size() - 1)) {
                throw ApiException.badRequest("InvalidPartOrder: parts must be listed in strictly ascending"
                        + " partNumber order; part " + n + " follows part " + numbers.get(numbers.size() - 1));
            }
            ObjectStore.StoredObject o = stored.get(n);
            if (o == null) {
                throw ApiException.badRequest("InvalidPart: part " + n + " was not uploaded");
            }
            String bare = eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                    ? eTag.substring(1, eTag.length() - 1) : eTag;
            if (!bare.equals(o.etag())) {
                throw ApiException.badRequest("InvalidPart: the eTag given for part " + n
                        + " does not match the uploaded part (\"" + o.etag() + "\")");
            }
            numbers.add(n);
        }
        for (int i = 0; i < numbers.size() - 1; i++) {
            long size = stored.get(numbers.get(i)).size();
            if (size < s.config.minPartSize()) {
                throw ApiException.badRequest("EntityTooSmall: part " + numbers.get(i) + " is " + size
                        + " bytes; every part except the last must be at least " + s.config.minPartSize() + " bytes");
            }
        }
        return s.vertx.executeBlocking(() -> s.store.assemble(mp.uploadId, numbers, mp.target.key(),
                        mp.target.fileHash()), false)
                .compose(a -> {
                    if (a.object() == null) {
                        return Future.failedFuture(ApiException.badRequest("fileHash does not match the uploaded"
                                + " bytes (the MD5 of the assembled parts is " + a.md5() + ")"));
                    }
                    s.materials.end(mp, MaterialStore.State.COMPLETED);
                    s.vertx.executeBlocking(() -> {
                        s.store.deleteParts(mp.uploadId);
                        return null;
                    }, false);
                    return materialApi.registerMaterial(mp.target, a.object());
                })
                .map(m -> m.toJson(s.signer, s.config.deliverableTtl()));
    }

    private Future<JsonNode> abort(ApiCall call) {
        Fields b = call.queryOnly().body().only("materialId", "uploadId", "fileHash", "fileName");
        MaterialStore.Multipart mp = openUpload(b);
        s.materials.end(mp, MaterialStore.State.ABORTED);
        return s.vertx.executeBlocking(() -> {
            s.store.deleteParts(mp.uploadId);
            return (JsonNode) null;
        }, false);
    }

    /** The open upload named by uploadId, after checking the repeated fields against initiate. */
    private MaterialStore.Multipart openUpload(Fields b) {
        String uploadId = b.text("uploadId", true);
        MaterialStore.Multipart mp = s.materials.multipart(uploadId);
        if (mp == null || mp.state != MaterialStore.State.OPEN) {
            throw ApiException.notFound("multipart upload " + uploadId + " not found"
                    + (mp == null ? "" : " (it was " + mp.state.name().toLowerCase() + ")"));
        }
        matches(b, mp);
        return mp;
    }

    private static void matches(Fields b, MaterialStore.Multipart mp) {
        String materialId = b.text("materialId", true);
        String hash = MaterialApi.fileHash(b);
        String name = MaterialApi.fileName(b);
        if (!mp.target.materialId().equals(materialId)) {
            throw ApiException.badRequest("materialId " + materialId + " does not belong to multipart upload "
                    + mp.uploadId + " (initiated for " + mp.target.materialId() + ")");
        }
        if (!mp.target.fileHash().equals(hash)) {
            throw ApiException.badRequest("fileHash does not match the fileHash given to multipart/initiate");
        }
        if (!mp.target.fileName().equals(name)) {
            throw ApiException.badRequest("fileName \"" + name + "\" does not match the fileName given to"
                    + " multipart/initiate (\"" + mp.target.fileName() + "\")");
        }
    }
}
